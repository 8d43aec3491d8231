/// Where the key pictures a reader has passed begin in a file that carries no index and
/// no clock to seek by (raw H.264, HEVC or MJPEG, a Raspberry Pi camera's .h264): the byte
/// position of each one's packet and its time, in the order they were met. A seek back
/// resumes the demuxer at the last key picture before its target (a picture decodes
/// only from one) and knows that picture's time when it comes out again.
///
/// Bounded: at `capacity` entries (a key picture a second for 18 hours, 1 MiB) it stops
/// growing, and seeks beyond its last entry decode on from there.
struct KeyPictureIndex {
    struct Entry: Equatable {
        let position: Int64
        let time: Double
    }

    static let capacity = 65_536

    private(set) var entries: [Entry] = []

    /// Notes a key picture met in order of position: one already known (a seek back
    /// plays it again) or one before the last is ignored.
    mutating func record(position: Int64, time: Double) {
        guard position >= 0, KeyPictureIndex.capacity > entries.count,
              position > (entries.last?.position ?? -1) else { return }
        entries.append(Entry(position: position, time: time))
    }

    /// The time of the key picture whose packet begins at `position`, if it was met.
    func time(at position: Int64) -> Double? {
        let i = firstIndex { $0.position >= position }
        return i < entries.count && entries[i].position == position ? entries[i].time : nil
    }

    /// The last key picture at or before `time` (with `slack` for the rounding of times).
    func last(atOrBefore time: Double, slack: Double) -> Entry? {
        let i = firstIndex { $0.time > time + slack }
        return i > 0 ? entries[i - 1] : nil
    }

    /// Binary search: the first entry for which `isAfter` holds (entries are sorted by
    /// position and by time alike), or `entries.count`.
    private func firstIndex(where isAfter: (Entry) -> Bool) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if isAfter(entries[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

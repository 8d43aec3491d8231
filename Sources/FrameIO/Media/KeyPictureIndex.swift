/// Where the key pictures a reader has passed begin in a file that carries no index and
/// no clock to seek by (raw H.264, HEVC or MJPEG, a Raspberry Pi camera's .h264): the byte
/// position of each one's packet and its time, in the order they were met. A seek back
/// resumes the demuxer at the last key picture before its target (a picture decodes
/// only from one) and knows that picture's time when it comes out again.
///
/// Bounded: at `capacity` entries (1 MiB: a key picture a second for 18 hours, or every
/// picture of a raw MJPEG stream for 36 minutes at 30 fps) every other entry is dropped
/// and from then on every other key picture noted, so that it spans all that was played
/// with its entries evenly spaced, twice as far apart.
struct KeyPictureIndex {
    struct Entry: Equatable {
        let position: Int64
        let time: Double
    }

    static let capacity = 65_536

    private(set) var entries: [Entry] = []
    /// Key pictures offered so far, and every how many of them one is kept.
    private var offered = 0
    private var spacing = 1
    /// The position of the last key picture offered (kept or not).
    private var lastOffered: Int64 = -1

    /// Notes a key picture met in order of position: one already known (a seek back
    /// plays it again) or one before the last is ignored.
    mutating func record(position: Int64, time: Double) {
        guard position >= 0, position > lastOffered else { return }
        lastOffered = position
        defer { offered += 1 }
        if entries.count >= KeyPictureIndex.capacity {
            entries = stride(from: 0, to: entries.count, by: 2).map { entries[$0] }
            spacing *= 2
        }
        if offered % spacing == 0 { entries.append(Entry(position: position, time: time)) }
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

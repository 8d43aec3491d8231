/// A decoded anchor that passed the score threshold.
struct Candidate {
    var score: Float
    var index: Int32      // global anchor index (heads in order, then y, x, a)
    var x: Float, y: Float, w: Float, h: Float

    /// Ordering of NETWORK.md §6: higher score first, ties by lower anchor index.
    @inline(__always) func ranksAbove(_ o: Candidate) -> Bool {
        score > o.score || (score == o.score && index < o.index)
    }
}

/// The best `capacity` (= top_k) candidates of a frame, kept as a binary min-heap in
/// an arena buffer while the heads stream their rows; the worst kept candidate sits at
/// the root and is replaced when a better one arrives. Bounded memory, whatever the
/// number of anchors above threshold.
struct CandidateList {
    let storage: UnsafeMutablePointer<Candidate>
    let capacity: Int
    private(set) var count = 0

    init(storage: UnsafeMutablePointer<Candidate>, capacity: Int) {
        self.storage = storage
        self.capacity = capacity
    }

    static func bytes(capacity: Int) -> Int { capacity * MemoryLayout<Candidate>.stride }

    mutating func insert(_ c: Candidate) {
        if count < capacity {
            var i = count
            count += 1
            storage[i] = c
            while i > 0 {
                let parent = (i - 1) / 2
                // The root is the worst: a child that ranks below its parent moves up.
                guard storage[parent].ranksAbove(storage[i]) else { break }
                storage.swapAt(i, parent)
                i = parent
            }
        } else if capacity > 0 && c.ranksAbove(storage[0]) {
            storage[0] = c
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < count && storage[worst].ranksAbove(storage[l]) { worst = l }
                if r < count && storage[worst].ranksAbove(storage[r]) { worst = r }
                if worst == i { break }
                storage.swapAt(i, worst)
                i = worst
            }
        }
    }

    /// The kept candidates, best first.
    func sorted() -> [Candidate] {
        UnsafeBufferPointer(start: storage, count: count).sorted { $0.ranksAbove($1) }
    }
}

extension UnsafeMutablePointer {
    @inline(__always) fileprivate func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]
        self[i] = self[j]
        self[j] = t
    }
}

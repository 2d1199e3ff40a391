/// The most frequent keys of a stream in bounded memory: the Space-Saving summary (Metwally, Agrawal and
/// El Abbadi, "Efficient computation of frequent and top-k elements in data streams", 2005).
///
/// It keeps at most `capacity` (k) counters. A key already counted is incremented; a new key takes a free
/// counter, or, when all are taken, the counter with the smallest count m, starting from m + 1 and
/// remembering m as its `error`. So, for N counted occurrences:
/// - a count never underestimates: true ≤ count, and count − error ≤ true;
/// - error ≤ m ≤ N / k, and a key not kept occurred at most m times;
/// - every key occurring more than N / k times is kept.
/// While no counter was ever taken over (at most k distinct keys) every count is exact.
///
/// The event report counts search queries with it, whose number of distinct values is whatever a public
/// collector received, not bounded by the site.
struct SpaceSaving<Key: Hashable> {
    struct Entry {
        var key: Key
        var count: Int
        /// How much `count` may exceed the true count (0: exact).
        var error: Int
    }

    let capacity: Int
    /// Occurrences counted (N).
    private(set) var total = 0
    /// Whether a counter was ever taken over: then counts may be estimates.
    private(set) var evicted = false
    private var entries: [Entry] = []
    private var index: [Key: Int] = [:]
    /// A min-heap of positions in `entries` by count, and each entry's place in it.
    private var heap: [Int] = []
    private var place: [Int] = []

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    var count: Int { entries.count }

    /// The smallest count kept once the summary is full: no key left out occurred more often (0 before).
    var minimum: Int { evicted || entries.count == capacity ? entries[heap[0]].count : 0 }

    mutating func add(_ key: Key, _ weight: Int = 1) {
        total += weight
        if let n = index[key] {
            entries[n].count += weight
            down(place[n])
            return
        }
        if entries.count < capacity {
            let n = entries.count
            entries.append(Entry(key: key, count: weight, error: 0))
            index[key] = n
            place.append(heap.count)
            heap.append(n)
            up(heap.count - 1)
            return
        }
        evicted = true
        let n = heap[0]
        let m = entries[n].count
        index[entries[n].key] = nil
        entries[n] = Entry(key: key, count: m + weight, error: m)
        index[key] = n
        down(0)
    }

    /// The key's counter, if it is kept.
    func entry(_ key: Key) -> Entry? { index[key].map { entries[$0] } }

    /// The kept counters, largest count first (then by `order`).
    func top(_ n: Int, by order: (Key, Key) -> Bool) -> [Entry] {
        Array(entries.sorted { $0.count != $1.count ? $0.count > $1.count : order($0.key, $1.key) }.prefix(n))
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        heap.swapAt(a, b)
        place[heap[a]] = a
        place[heap[b]] = b
    }

    private mutating func up(_ i: Int) {
        var i = i
        while i > 0 {
            let parent = (i - 1) / 2
            guard entries[heap[i]].count < entries[heap[parent]].count else { return }
            swapAt(i, parent)
            i = parent
        }
    }

    private mutating func down(_ i: Int) {
        var i = i
        while true {
            var smallest = i
            for child in (2 * i + 1)...(2 * i + 2) where child < heap.count && entries[heap[child]].count < entries[heap[smallest]].count {
                smallest = child
            }
            guard smallest != i else { return }
            swapAt(i, smallest)
            i = smallest
        }
    }
}

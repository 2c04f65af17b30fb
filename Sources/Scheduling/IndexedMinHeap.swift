/// A binary min-heap of the numbers 0..<count whose keys change: O(log n) per change, O(1) for
/// the minimum. Keys are read through a closure, so the heap stores no copy of them.
struct IndexedMinHeap: Sendable {
    private var heap: [Int]
    private var position: [Int]

    /// All keys start equal, so any order is a heap.
    init(count: Int) {
        heap = Array(0..<count)
        position = Array(0..<count)
    }

    func minimum(_ key: (Int) -> Double) -> Int { heap[0] }

    /// Restores the order after `element`'s key changed.
    mutating func update(_ element: Int, key: (Int) -> Double) {
        var index = position[element]
        // Up while smaller than the parent (ties broken by number, so the order is total).
        while index > 0 {
            let parent = (index - 1) / 2
            guard less(heap[index], heap[parent], key) else { break }
            swapAt(index, parent)
            index = parent
        }
        // Down while larger than the smaller child.
        while true {
            let left = 2 * index + 1, right = left + 1
            var smallest = index
            if left < heap.count, less(heap[left], heap[smallest], key) { smallest = left }
            if right < heap.count, less(heap[right], heap[smallest], key) { smallest = right }
            if smallest == index { break }
            swapAt(index, smallest)
            index = smallest
        }
    }

    private func less(_ a: Int, _ b: Int, _ key: (Int) -> Double) -> Bool {
        let (ka, kb) = (key(a), key(b))
        return ka < kb || (ka == kb && a < b)
    }

    private mutating func swapAt(_ i: Int, _ j: Int) {
        heap.swapAt(i, j)
        position[heap[i]] = i
        position[heap[j]] = j
    }
}

/// A min-heap of timed events; ties keep their insertion order, so runs repeat exactly.
struct EventQueue<Event>: Sendable where Event: Sendable {
    private var heap: [(time: Double, order: Int, event: Event)] = []
    private var counter = 0

    mutating func push(_ time: Double, _ event: Event) {
        counter += 1
        heap.append((time, counter, event))
        var index = heap.count - 1
        while index > 0 {
            let parent = (index - 1) / 2
            guard before(index, parent) else { break }
            heap.swapAt(index, parent)
            index = parent
        }
    }

    mutating func pop() -> (Double, Event)? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var index = 0
            while true {
                let left = 2 * index + 1, right = left + 1
                var first = index
                if left < heap.count, before(left, first) { first = left }
                if right < heap.count, before(right, first) { first = right }
                if first == index { break }
                heap.swapAt(index, first)
                index = first
            }
        }
        return (top.time, top.event)
    }

    private func before(_ a: Int, _ b: Int) -> Bool {
        heap[a].time < heap[b].time || (heap[a].time == heap[b].time && heap[a].order < heap[b].order)
    }
}

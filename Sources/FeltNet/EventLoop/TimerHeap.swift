/// A binary min-heap of deadlines with cancellable actions; owned by one loop.
struct TimerHeap {
    private struct Entry {
        var deadline: UInt64
        var id: UInt64
    }

    private var heap: [Entry] = []
    private var actions: [UInt64: @Sendable () -> Void] = [:]

    /// The earliest pending deadline (cancelled entries may linger until popped).
    var nextDeadline: UInt64? { heap.first?.deadline }

    /// Number of live timers.
    var count: Int { actions.count }

    mutating func insert(id: UInt64, deadline: UInt64, action: @escaping @Sendable () -> Void) {
        actions[id] = action
        heap.append(Entry(deadline: deadline, id: id))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[parent].deadline <= heap[child].deadline { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    mutating func cancel(id: UInt64) {
        actions[id] = nil
    }

    /// Removes and returns every action whose deadline is at or before `now`, in
    /// deadline order. The caller runs them after this mutation ends (an action may
    /// schedule or cancel timers).
    mutating func popExpired(now: UInt64) -> [@Sendable () -> Void] {
        var due: [@Sendable () -> Void] = []
        while let top = heap.first, top.deadline <= now {
            popTop()
            if let action = actions.removeValue(forKey: top.id) { due.append(action) }
        }
        if actions.isEmpty { heap.removeAll(keepingCapacity: true) }
        return due
    }

    private mutating func popTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            if left >= heap.count { break }
            var smallest = left
            let right = left + 1
            if right < heap.count && heap[right].deadline < heap[left].deadline { smallest = right }
            if heap[parent].deadline <= heap[smallest].deadline { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

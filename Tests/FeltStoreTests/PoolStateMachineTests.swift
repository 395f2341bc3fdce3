import Testing
@testable import FeltStore

@Suite struct PoolStateMachineTests {
    typealias Machine = PoolStateMachine<String, String>

    @Test func opensUpToTheLimitThenQueuesWaiters() {
        var machine = Machine(maxConnections: 2)
        guard case .open = machine.checkout(waiter: "a", reserveBudget: { true }) else { Issue.record("expected open"); return }
        machine.opened("c1")
        guard case .open = machine.checkout(waiter: "b", reserveBudget: { true }) else { Issue.record("expected open"); return }
        machine.opened("c2")
        guard case .wait = machine.checkout(waiter: "c", reserveBudget: { true }) else { Issue.record("expected wait"); return }
        #expect(machine.all == ["c1", "c2"])
        #expect(machine.waiters.map(\.waiter) == ["c"])
    }

    @Test func aDeniedBudgetMakesTheRequestWaitAndIsNotAskedWhenFull() {
        var machine = Machine(maxConnections: 1)
        guard case .wait = machine.checkout(waiter: "a", reserveBudget: { false }) else { Issue.record("expected wait"); return }
        var asked = false
        machine = Machine(maxConnections: 1)
        _ = machine.checkout(waiter: "a", reserveBudget: { true })
        machine.opened("c1")
        _ = machine.checkout(waiter: "b", reserveBudget: { asked = true; return true })
        #expect(asked == false)
    }

    @Test func releasedConnectionsGoToTheLongestWaiterThenIdle() {
        var machine = Machine(maxConnections: 1)
        _ = machine.checkout(waiter: "a", reserveBudget: { true })
        machine.opened("c1")
        _ = machine.checkout(waiter: "b", reserveBudget: { true })
        _ = machine.checkout(waiter: "c", reserveBudget: { true })
        guard case .handOver(let first) = machine.release("c1") else { Issue.record("expected hand-over"); return }
        #expect(first == "b")
        guard case .handOver(let second) = machine.release("c1") else { Issue.record("expected hand-over"); return }
        #expect(second == "c")
        guard case .parked = machine.release("c1") else { Issue.record("expected parked"); return }
        guard case .use(let reused) = machine.checkout(waiter: "d", reserveBudget: { true }) else { Issue.record("expected use"); return }
        #expect(reused == "c1")
    }

    @Test func anExpiredWaiterIsRemovedOnlyOnce() {
        var machine = Machine(maxConnections: 1)
        _ = machine.checkout(waiter: "a", reserveBudget: { true })
        machine.opened("c1")
        guard case .wait(let id) = machine.checkout(waiter: "b", reserveBudget: { true }) else { Issue.record("expected wait"); return }
        #expect(machine.expire(id) == "b")
        #expect(machine.expire(id) == nil)
        guard case .parked = machine.release("c1") else { Issue.record("expected parked"); return }
    }

    @Test func closingFailsWaitersAndRefusesNewCheckouts() {
        var machine = Machine(maxConnections: 1)
        _ = machine.checkout(waiter: "a", reserveBudget: { true })
        machine.opened("c1")
        _ = machine.checkout(waiter: "b", reserveBudget: { true })
        let closed = machine.close()
        #expect(closed.connections == ["c1"])
        #expect(closed.waiters == ["b"])
        guard case .closed = machine.checkout(waiter: "c", reserveBudget: { true }) else { Issue.record("expected closed"); return }
        guard case .close = machine.release("c1") else { Issue.record("expected close"); return }
    }
}

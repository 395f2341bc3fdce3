extension LegalActions {
    /// A random legal action (for bots, property tests and benchmarks): folds when facing a bet
    /// about 15 % of the time, otherwise mostly checks or calls, sometimes raises the minimum,
    /// a random size or all in.
    public func randomAction(using rng: inout some RandomNumberGenerator) -> PlayerAction {
        let roll = Int(rng.next() % 100)
        if canFold && roll < 15 { return .fold }
        if canRaise && roll >= 70 {
            if roll >= 95 || minRaiseTo == maxRaiseTo { return roll >= 95 && maxRaiseTo == allInTo ? .allIn : .raise(to: maxRaiseTo) }
            if roll >= 85 { return .raise(to: minRaiseTo) }
            let span = UInt64(maxRaiseTo - minRaiseTo + 1)
            return .raise(to: minRaiseTo + Int(rng.next() % span))
        }
        return canCheck ? .check : .call
    }
}

import PokerEngine

extension PlayerAction {
    /// The action of a client message `{"type":"action","action":{"type":T,"amount":N}}`:
    /// `fold`, `check`, `call`, `bet`/`raise` (need `amount`, the raise-to total for the
    /// street), `all_in`. Anything else → `bad_message`.
    public init(wireType: String, amount: Int?) throws(TableError) {
        switch wireType {
        case "fold": self = .fold
        case "check": self = .check
        case "call": self = .call
        case "all_in": self = .allIn
        case "bet", "raise":
            guard let amount else { throw .badMessage(reason: "\(wireType) needs an amount (the raise-to total)") }
            guard amount > 0 else { throw .badMessage(reason: "\(wireType) amount must be positive") }
            self = wireType == "bet" ? .bet(amount) : .raise(to: amount)
        default:
            throw .badMessage(reason: "unknown action type \"\(wireType.prefix(32))\" (fold, check, call, bet, raise, all_in)")
        }
    }
}

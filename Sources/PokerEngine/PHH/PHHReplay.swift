/// Plays PHH hands through the engine.
public enum PHHReplay {
    /// The outcome of replaying one hand.
    public struct Result: Sendable {
        /// The engine input the hand was converted to.
        public var input: PHHEngineHand
        /// The engine state after the last action (finished unless the history is partial).
        public var state: HandState
        /// Stacks of the PHH players (player 1 first) after the replay.
        public var finishingStacks: [Int] { input.playerSeats.map { state.stacks[$0] } }
    }

    /// Why a replay stopped.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// Stable code: the engine's `HandError.code` for an illegal action, `board_mismatch`
        /// when the engine's board differs from the file's, or a `PHHError` code.
        public var code: String
        /// Index in the PHH `actions` array, when an action is to blame.
        public var actionIndex: Int?
        /// The action as written, when an action is to blame.
        public var action: String?
        public var reason: String

        public var description: String {
            if let action, let actionIndex { return "action '\(action)' (actions[\(actionIndex)]) is illegal: \(reason)" }
            return reason
        }
    }

    /// Replays `hand`: builds the engine hand, applies every player action in order (a fold
    /// marked `# forfeit` as `HandState.forfeit(seat:)`, which may be out of turn) and
    /// checks the board the engine dealt against the file's.
    public static func replay(_ hand: PHHHand) throws(Failure) -> Result {
        let input: PHHEngineHand
        do throws(PHHError) {
            input = try hand.engineHand()
        } catch {
            throw Failure(code: error.code, reason: error.message)
        }
        var state: HandState
        do throws(HandError) {
            state = try HandState(rules: input.rules, seats: input.seats, positions: input.positions, deck: input.deck)
        } catch {
            throw Failure(code: error.code, reason: error.reason)
        }
        for step in input.steps {
            do throws(HandError) {
                if step.isForfeit {
                    _ = try state.forfeit(seat: step.seat)
                } else {
                    _ = try state.apply(step.action, by: step.seat)
                }
            } catch {
                throw Failure(code: error.code, actionIndex: step.index, action: step.notation.description,
                              reason: error.reason)
            }
        }
        let dealt = state.board
        let common = min(dealt.count, input.board.count)
        if Array(dealt.prefix(common)) != Array(input.board.prefix(common)) || input.board.count > dealt.count {
            throw Failure(code: "board_mismatch",
                          reason: "the file deals board \(input.board.map(\.description).joined()) but the engine dealt "
                              + "\(dealt.map(\.description).joined())")
        }
        return Result(input: input, state: state)
    }
}

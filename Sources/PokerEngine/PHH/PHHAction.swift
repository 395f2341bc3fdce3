/// One entry of a PHH `actions` array, e.g. `"d dh p1 AcKd"`, `"p2 cbr 20 # shove"`.
///
/// Player indices are 0-based here (`p1` is player 0). A card written `??` is unknown
/// and held as `nil`.
public struct PHHAction: Equatable, Sendable, CustomStringConvertible {
    /// What the action does.
    public enum Kind: Equatable, Sendable {
        /// `d dh pN cards`: hole cards dealt to a player.
        case dealHole(player: Int, cards: [Card?])
        /// `d db cards`: board cards.
        case dealBoard([Card])
        /// `pN cbr amount`: bet or raise to `amount` (total for the round).
        case completeBetOrRaiseTo(player: Int, amount: Int)
        /// `pN cc`: check or call.
        case checkOrCall(player: Int)
        /// `pN f`: fold.
        case fold(player: Int)
        /// `pN sm cards` (show) or `pN sm -` (show the cards dealt earlier, `cards == nil`).
        case show(player: Int, cards: [Card?]?)
        /// `pN sm`: muck.
        case muck(player: Int)
        /// An empty entry or a standalone commentary.
        case noOp
    }

    public var kind: Kind
    /// The commentary marking a fold as a forfeit (`pN f # forfeit`): a player who left the
    /// hand out of turn (see `HandState.forfeit(seat:)`).
    public static let forfeitCommentary = "forfeit"
    /// Text after `#`, if any (without the `#` and surrounding spaces).
    public var commentary: String?

    public init(_ kind: Kind, commentary: String? = nil) {
        self.kind = kind
        self.commentary = commentary
    }

    /// The acting player (0-based), or `nil` for the dealer and no-ops.
    public var player: Int? {
        switch kind {
        case .completeBetOrRaiseTo(let p, _), .checkOrCall(let p), .fold(let p), .show(let p, _), .muck(let p):
            p
        case .dealHole, .dealBoard, .noOp:
            nil
        }
    }

    /// The PHH notation of the action.
    public var description: String {
        var text: String
        switch kind {
        case .dealHole(let p, let cards): text = "d dh p\(p + 1) " + PHHAction.cardText(cards)
        case .dealBoard(let cards): text = "d db " + cards.map(\.description).joined()
        case .completeBetOrRaiseTo(let p, let amount): text = "p\(p + 1) cbr \(amount)"
        case .checkOrCall(let p): text = "p\(p + 1) cc"
        case .fold(let p): text = "p\(p + 1) f"
        case .show(let p, let cards): text = "p\(p + 1) sm " + (cards.map(PHHAction.cardText) ?? "-")
        case .muck(let p): text = "p\(p + 1) sm"
        case .noOp: text = ""
        }
        if let commentary {
            text += text.isEmpty ? "# \(commentary)" : " # \(commentary)"
        }
        return text
    }

    static func cardText(_ cards: [Card?]) -> String {
        cards.map { $0?.description ?? "??" }.joined()
    }

    /// Parses one action notation. Errors are plain messages; the caller adds context.
    public static func parse(_ notation: String) throws(PHHError) -> PHHAction {
        var body = Substring(notation)
        var commentary: String?
        if let hash = body.firstIndex(of: "#") {
            commentary = body[body.index(after: hash)...].trimmingSpaces()
            body = body[..<hash]
        }
        let words = body.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let actor = words.first else { return PHHAction(.noOp, commentary: commentary) }
        func fail(_ message: String) -> PHHError {
            PHHError(code: "phh.bad_action", message: "action '\(notation)': \(message)")
        }
        guard words.count >= 2 else { throw fail("missing the action after '\(actor)'") }
        let verb = words[1]
        let arguments = words.dropFirst(2)
        if actor == "d" {
            switch verb {
            case "dh":
                guard arguments.count == 2 else { throw fail("expected 'd dh pN CARDS'") }
                let player = try parsePlayer(arguments[arguments.startIndex], fail: fail)
                let cards = try parseCards(arguments[arguments.startIndex + 1], allowUnknown: true, fail: fail)
                return PHHAction(.dealHole(player: player, cards: cards), commentary: commentary)
            case "db":
                guard arguments.count == 1 else { throw fail("expected 'd db CARDS'") }
                let cards = try parseCards(arguments[arguments.startIndex], allowUnknown: false, fail: fail)
                return PHHAction(.dealBoard(cards.compactMap { $0 }), commentary: commentary)
            default:
                throw fail("unknown dealer action '\(verb)' (expected dh or db)")
            }
        }
        let player = try parsePlayer(actor, fail: fail)
        switch verb {
        case "cbr":
            guard arguments.count == 1, let text = arguments.first else { throw fail("expected 'pN cbr AMOUNT'") }
            guard let amount = PHHAction.parseAmount(text) else {
                throw fail("'\(text)' is not a whole, positive chip amount")
            }
            return PHHAction(.completeBetOrRaiseTo(player: player, amount: amount), commentary: commentary)
        case "cc", "f":
            guard arguments.isEmpty else { throw fail("'\(verb)' takes no arguments") }
            return PHHAction(verb == "cc" ? .checkOrCall(player: player) : .fold(player: player), commentary: commentary)
        case "sm":
            guard arguments.count <= 1 else { throw fail("expected 'pN sm [CARDS]'") }
            guard let text = arguments.first else { return PHHAction(.muck(player: player), commentary: commentary) }
            if text == "-" { return PHHAction(.show(player: player, cards: nil), commentary: commentary) }
            return PHHAction(.show(player: player, cards: try parseCards(text, allowUnknown: true, fail: fail)),
                             commentary: commentary)
        case "pb", "sd":
            throw fail("'\(verb)' is not part of hold'em or Omaha")
        default:
            throw fail("unknown action '\(verb)'")
        }
    }

    /// `12`, `12.0` → 12; anything fractional, negative, zero or not a number → nil.
    static func parseAmount(_ text: Substring) -> Int? {
        if let value = Int(text), value > 0 { return value }
        if let value = Double(text), value.isFinite, value > 0, value == value.rounded(), value < 1e15 {
            return Int(value)
        }
        return nil
    }

    private static func parsePlayer(_ text: Substring, fail: (String) -> PHHError) throws(PHHError) -> Int {
        guard text.first == "p", let number = Int(text.dropFirst()), number >= 1 else {
            throw fail("'\(text)' is not a player (expected p1, p2, …)")
        }
        return number - 1
    }

    private static func parseCards(_ text: Substring, allowUnknown: Bool,
                                   fail: (String) -> PHHError) throws(PHHError) -> [Card?] {
        let chars = Array(text)
        guard !chars.isEmpty, chars.count % 2 == 0 else { throw fail("'\(text)' is not a list of cards") }
        var cards: [Card?] = []
        for i in stride(from: 0, to: chars.count, by: 2) {
            let pair = String(chars[i..<i + 2])
            if pair == "??" {
                guard allowUnknown else { throw fail("unknown card '??' is not allowed here") }
                cards.append(nil)
            } else if let card = Card(pair) {
                cards.append(card)
            } else {
                throw fail("'\(pair)' is not a card")
            }
        }
        return cards
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}

/// A problem with a PHH file or hand: malformed TOML, a missing or mistyped field,
/// an unsupported variant, a malformed action, or a hand the engine cannot represent.
public struct PHHError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable error code: `phh.toml`, `phh.missing_field`, `phh.field_type`,
    /// `phh.unsupported_variant`, `phh.bad_action`, `phh.bad_value`, `phh.unsupported`.
    public let code: String
    public let message: String
    /// The 1-based source line, when known.
    public var line: Int?

    public init(code: String, message: String, line: Int? = nil) {
        self.code = code
        self.message = message
        self.line = line
    }

    public var description: String {
        if let line { return "line \(line): \(message)" }
        return message
    }
}

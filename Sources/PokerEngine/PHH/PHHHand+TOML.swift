extension PHHHand {
    /// Builds a hand from the key/value pairs of a `.phh` file (or one `[n]` table of a
    /// `.phhs` file), checking field presence, types, lengths and every action.
    public init(entries: [TOMLKeyValue]) throws(PHHError) {
        var fields: [String: TOMLKeyValue] = [:]
        for entry in entries { fields[entry.key] = entry }
        let lastLine = entries.map(\.line).max()

        func missing(_ key: String) -> PHHError {
            PHHError(code: "phh.missing_field", message: "missing required field '\(key)'", line: lastLine)
        }
        func typeError(_ entry: TOMLKeyValue, _ expected: String) -> PHHError {
            PHHError(code: "phh.field_type",
                     message: "field '\(entry.key)' must be \(expected), found \(entry.value.typeName)", line: entry.line)
        }
        func chips(_ value: TOMLValue, _ entry: TOMLKeyValue, allowZero: Bool) throws(PHHError) -> Int {
            let amount: Int
            switch value {
            case .integer(let i): amount = i
            case .float(let d) where d.isFinite && d == d.rounded() && abs(d) < 1e15: amount = Int(d)
            case .float(let d) where d.isInfinite:
                throw PHHError(code: "phh.bad_value",
                               message: "field '\(entry.key)': unknown (inf) amounts are not supported", line: entry.line)
            case .float(let d):
                throw PHHError(code: "phh.bad_value",
                               message: "field '\(entry.key)': \(d) is not a whole number of chips", line: entry.line)
            default:
                throw typeError(entry, "a number")
            }
            guard amount > 0 || (allowZero && amount == 0) else {
                throw PHHError(code: "phh.bad_value",
                               message: "field '\(entry.key)': \(amount) must be \(allowZero ? "non-negative" : "positive")",
                               line: entry.line)
            }
            return amount
        }
        func chipArray(_ key: String, allowZero: Bool) throws(PHHError) -> [Int]? {
            guard let entry = fields[key] else { return nil }
            guard case .array(let items) = entry.value else { throw typeError(entry, "an array of numbers") }
            var out: [Int] = []
            for item in items { out.append(try chips(item, entry, allowZero: allowZero)) }
            return out
        }
        func chipScalar(_ key: String) throws(PHHError) -> Int? {
            guard let entry = fields[key] else { return nil }
            return try chips(entry.value, entry, allowZero: false)
        }

        guard let variantEntry = fields["variant"] else { throw missing("variant") }
        guard case .string(let code) = variantEntry.value else { throw typeError(variantEntry, "a string") }
        guard let variant = PHHVariant(rawValue: code) else {
            throw PHHError(code: "phh.unsupported_variant",
                           message: "variant '\(code)' is not supported (Felt plays NT, FT and PO)", line: variantEntry.line)
        }
        guard let antes = try chipArray("antes", allowZero: true) else { throw missing("antes") }
        guard let blinds = try chipArray("blinds_or_straddles", allowZero: true) else { throw missing("blinds_or_straddles") }
        guard let stacks = try chipArray("starting_stacks", allowZero: false) else { throw missing("starting_stacks") }
        let count = stacks.count
        guard (2...10).contains(count) else {
            throw PHHError(code: "phh.bad_value", message: "a hand needs 2 to 10 players, found \(count)",
                           line: fields["starting_stacks"]?.line)
        }
        for key in ["antes", "blinds_or_straddles"] {
            let length = key == "antes" ? antes.count : blinds.count
            guard length == count else {
                throw PHHError(code: "phh.bad_value",
                               message: "field '\(key)' has \(length) entries but there are \(count) players",
                               line: fields[key]?.line)
            }
        }
        var minBet: Int?, smallBet: Int?, bigBet: Int?
        if variant.isFixedLimit {
            guard let s = try chipScalar("small_bet") else { throw missing("small_bet") }
            guard let b = try chipScalar("big_bet") else { throw missing("big_bet") }
            smallBet = s
            bigBet = b
        } else {
            guard let m = try chipScalar("min_bet") else { throw missing("min_bet") }
            minBet = m
        }
        guard let actionsEntry = fields["actions"] else { throw missing("actions") }
        guard case .array(let rawActions) = actionsEntry.value else { throw typeError(actionsEntry, "an array of strings") }
        var actions: [PHHAction] = []
        for (index, raw) in rawActions.enumerated() {
            guard case .string(let notation) = raw else { throw typeError(actionsEntry, "an array of strings") }
            do throws(PHHError) {
                let action = try PHHAction.parse(notation)
                if let player = action.player ?? {
                    if case .dealHole(let p, _) = action.kind { return p }
                    return nil
                }(), player >= count {
                    throw PHHError(code: "phh.bad_action",
                                   message: "action '\(notation)': there are only \(count) players")
                }
                actions.append(action)
            } catch {
                throw PHHError(code: error.code, message: "actions[\(index)]: \(error.message)", line: actionsEntry.line)
            }
        }

        self.init(variant: variant, antes: antes, blindsOrStraddles: blinds, minBet: minBet, smallBet: smallBet,
                  bigBet: bigBet, startingStacks: stacks, actions: actions)

        hand = fields["hand"]?.value
        table = fields["table"]?.value
        if let entry = fields["seats"] {
            guard case .array(let items) = entry.value else { throw typeError(entry, "an array of integers") }
            var seats: [Int] = []
            for item in items {
                guard case .integer(let seat) = item, seat >= 1 else { throw typeError(entry, "an array of positive integers") }
                seats.append(seat)
            }
            guard seats.count == count, Set(seats).count == count else {
                throw PHHError(code: "phh.bad_value",
                               message: "field 'seats' must list \(count) distinct seat numbers", line: entry.line)
            }
            self.seats = seats
        }
        if let entry = fields["seat_count"] {
            guard case .integer(let n) = entry.value, n >= count else {
                throw PHHError(code: "phh.bad_value", message: "field 'seat_count' must be an integer of at least \(count)",
                               line: entry.line)
            }
            seatCount = n
        }
        if let entry = fields["players"] {
            guard case .array(let items) = entry.value else { throw typeError(entry, "an array of strings") }
            var names: [String] = []
            for item in items {
                guard case .string(let name) = item else { throw typeError(entry, "an array of strings") }
                names.append(name)
            }
            guard names.count == count else {
                throw PHHError(code: "phh.bad_value", message: "field 'players' has \(names.count) names for \(count) players",
                               line: entry.line)
            }
            players = names
        }
        finishingStacks = try chipArray("finishing_stacks", allowZero: true)
        winnings = try chipArray("winnings", allowZero: true)
        for key in ["finishing_stacks", "winnings"] {
            let length = key == "winnings" ? winnings?.count : finishingStacks?.count
            if let length, length != count {
                throw PHHError(code: "phh.bad_value",
                               message: "field '\(key)' has \(length) entries but there are \(count) players",
                               line: fields[key]?.line)
            }
        }
        let modelled: Set<String> = ["variant", "antes", "blinds_or_straddles", "min_bet", "small_bet", "big_bet",
                                     "starting_stacks", "actions", "hand", "table", "seats", "seat_count", "players",
                                     "finishing_stacks", "winnings"]
        otherFields = entries.filter { !modelled.contains($0.key) }
    }

    /// The hand's fields as TOML pairs, required fields first (in the order PHH examples use).
    public var entries: [TOMLKeyValue] {
        var out: [TOMLKeyValue] = []
        func add(_ key: String, _ value: TOMLValue) { out.append(TOMLKeyValue(key: key, value: value)) }
        func ints(_ values: [Int]) -> TOMLValue { .array(values.map { .integer($0) }) }
        add("variant", .string(variant.rawValue))
        add("antes", ints(antes))
        add("blinds_or_straddles", ints(blindsOrStraddles))
        if let minBet { add("min_bet", .integer(minBet)) }
        if let smallBet { add("small_bet", .integer(smallBet)) }
        if let bigBet { add("big_bet", .integer(bigBet)) }
        add("starting_stacks", ints(startingStacks))
        add("actions", .array(actions.map { .string($0.description) }))
        if let hand { add("hand", hand) }
        if let table { add("table", table) }
        if let seats { add("seats", ints(seats)) }
        if let seatCount { add("seat_count", .integer(seatCount)) }
        if let players { add("players", .array(players.map { .string($0) })) }
        if let finishingStacks { add("finishing_stacks", ints(finishingStacks)) }
        if let winnings { add("winnings", ints(winnings)) }
        for field in otherFields { add(field.key, field.value) }
        return out
    }

    /// The `.phh` text of this hand.
    public var phhText: String { TOMLWriter.write(TOMLDocument(root: entries)) }
}

/// Reading and writing whole `.phh` (one hand) and `.phhs` (hands in `[1]`, `[2]`, … tables) files.
public enum PHHFile {
    /// A hand read from a file with the name to report it by.
    public struct NamedHand: Equatable, Sendable {
        /// The `hand` field, else the `[n]` table name, else `"1"` for a single-hand file.
        public var name: String
        public var hand: PHHHand
    }

    /// Parses a `.phh` or `.phhs` text. A text with top-level fields is one hand; a text
    /// whose fields all sit under `[name]` tables is a multi-hand file.
    public static func parse(_ text: String) throws(PHHError) -> [NamedHand] {
        let document: TOMLDocument
        do {
            document = try TOMLParser.parse(text)
        } catch {
            throw PHHError(code: "phh.toml", message: "\(error.message) (column \(error.column))", line: error.line)
        }
        if document.tables.isEmpty {
            guard !document.root.isEmpty else { throw PHHError(code: "phh.missing_field", message: "the file holds no hand") }
            let hand = try PHHHand(entries: document.root)
            return [NamedHand(name: hand.displayName(fallback: "1"), hand: hand)]
        }
        guard document.root.isEmpty else {
            throw PHHError(code: "phh.bad_value",
                           message: "a multi-hand file must keep every field under a [n] table header",
                           line: document.root.first?.line)
        }
        var hands: [NamedHand] = []
        for table in document.tables {
            do {
                let hand = try PHHHand(entries: table.entries)
                hands.append(NamedHand(name: hand.displayName(fallback: table.name), hand: hand))
            } catch {
                throw PHHError(code: error.code, message: "hand [\(table.name)]: \(error.message)",
                               line: error.line ?? table.line)
            }
        }
        return hands
    }

    /// The `.phhs` text of several hands under `[1]`, `[2]`, … headers.
    public static func multiHandText(_ hands: [PHHHand]) -> String {
        let tables = hands.enumerated().map { TOMLTable(name: String($0.offset + 1), entries: $0.element.entries) }
        return TOMLWriter.write(TOMLDocument(tables: tables))
    }
}

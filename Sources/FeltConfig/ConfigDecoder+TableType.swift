extension ConfigDecoder {
    static let tableTypeKeys = ["id", "name", "variant", "blinds", "ante", "buy_in", "seats", "action_timeout",
                                "time_bank", "time_bank_refill", "rake", "passphrase_env", "passphrase_file"]

    /// One table type (already merged over `defaults.table_type`).
    mutating func tableType(_ node: YAMLNode, base: String, item: String) -> (value: TableTypeConfig, idMark: Mark)? {
        guard let fields = fields(node, base: base, item: item, allowed: ConfigDecoder.tableTypeKeys) else { return nil }
        let before = issues.count
        var id: String?
        var idMark = fields.mark
        if let entry = require(fields, "id"), let value = string(entry.value, fields.path(of: entry)) {
            idMark = entry.value.mark
            if ConfigDecoder.isSlug(value) { id = value }
            else { report(entry.value.mark, fields.path(of: entry), .invalidID, "'\(value)' is not a valid table type id; use [a-z0-9][a-z0-9_-]{0,63}") }
        }
        var name = id ?? ""
        if let entry = fields.entry("name"), let value = text(entry.value, fields.path(of: entry)) { name = value }
        var variant: TableTypeConfig.Variant?
        if let entry = require(fields, "variant"),
           let value = choice(entry.value, fields.path(of: entry), TableTypeConfig.Variant.allCases.map(\.rawValue)) {
            variant = TableTypeConfig.Variant(rawValue: value)
        }
        var blinds: TableTypeConfig.Blinds?
        if let entry = require(fields, "blinds"), let inner = child(fields, entry, allowed: ["small", "big"]) {
            let small = require(inner, "small").flatMap { integer($0.value, inner.path(of: $0), in: 1...1_000_000_000_000, "must be at least 1") }
            let bigEntry = require(inner, "big")
            let big = bigEntry.flatMap { integer($0.value, inner.path(of: $0), in: 1...1_000_000_000_000, "must be at least 1") }
            if let small, let big, let bigEntry {
                if big <= small {
                    report(bigEntry.value.mark, inner.path(of: bigEntry), .outOfRange, "must be greater than the small blind (\(small))")
                } else {
                    blinds = TableTypeConfig.Blinds(small: small, big: big)
                }
            }
        }
        var ante = TableTypeConfig.Ante.none
        if let entry = fields.entry("ante"), let inner = child(fields, entry, allowed: ["type", "amount"]) {
            let kind = require(inner, "type").flatMap { choice($0.value, inner.path(of: $0), ["none", "per_player", "big_blind"]) }
            let amountEntry = inner.entry("amount")
            let amount = amountEntry.flatMap { integer($0.value, inner.path(of: $0)) }
            switch kind {
            case "none":
                if let amountEntry, let amount, amount != 0 {
                    report(amountEntry.value.mark, inner.path(of: amountEntry), .conflictingKeys, "an ante of type none takes no amount")
                }
            case .some(let kind):
                if amountEntry == nil {
                    report(inner.mark, inner.childPath("amount"), .missingKey, "missing required key")
                } else if let amount, let amountEntry {
                    if amount < 1 {
                        report(amountEntry.value.mark, inner.path(of: amountEntry), .outOfRange, "must be at least 1")
                    } else if let blinds, amount > blinds.big {
                        report(amountEntry.value.mark, inner.path(of: amountEntry), .outOfRange,
                               "must not exceed the big blind (\(blinds.big))")
                    } else {
                        ante = kind == "per_player" ? .perPlayer(amount) : .bigBlind(amount)
                    }
                }
            case nil:
                break
            }
        }
        var buyIn: TableTypeConfig.BuyIn?
        if let blinds {
            var minimum = blinds.big * 20, maximum = blinds.big * 100
            var valid = true
            if let entry = fields.entry("buy_in") {
                if let inner = child(fields, entry, allowed: ["min", "max"]) {
                    let minEntry = inner.entry("min")
                    let maxEntry = inner.entry("max")
                    if let minEntry {
                        if let value = integer(minEntry.value, inner.path(of: minEntry)) { minimum = value } else { valid = false }
                    }
                    if let maxEntry {
                        if let value = integer(maxEntry.value, inner.path(of: maxEntry)) { maximum = value } else { valid = false }
                    }
                    if minEntry != nil, maxEntry == nil { maximum = max(maximum, minimum) }
                    if maxEntry != nil, minEntry == nil { minimum = max(blinds.big, min(minimum, maximum)) }
                    if valid, minimum < blinds.big {
                        report(minEntry?.value.mark ?? inner.mark, minEntry.map { inner.path(of: $0) } ?? inner.childPath("min"),
                               .outOfRange, "must be at least the big blind (\(blinds.big))")
                        valid = false
                    }
                    if valid, maximum < minimum {
                        report(maxEntry?.value.mark ?? inner.mark, maxEntry.map { inner.path(of: $0) } ?? inner.childPath("max"),
                               .outOfRange, "must be at least buy_in.min (\(minimum))")
                        valid = false
                    }
                } else {
                    valid = false
                }
            }
            if valid { buyIn = TableTypeConfig.BuyIn(min: minimum, max: maximum) }
        }
        var seats = 9
        if let entry = fields.entry("seats"), let value = integer(entry.value, fields.path(of: entry), in: 2...10) { seats = Int(value) }
        var actionTimeout = ConfigDuration.seconds(30)
        if let entry = fields.entry("action_timeout"), let value = positiveDuration(entry.value, fields.path(of: entry)) { actionTimeout = value }
        var timeBank = ConfigDuration.seconds(60)
        if let entry = fields.entry("time_bank"), let value = duration(entry.value, fields.path(of: entry)) { timeBank = value }
        var timeBankRefill = ConfigDuration.seconds(2)
        if let entry = fields.entry("time_bank_refill"), let value = duration(entry.value, fields.path(of: entry)) { timeBankRefill = value }
        var rake = TableTypeConfig.Rake.zero
        if let entry = fields.entry("rake"), let inner = child(fields, entry, allowed: ["percent", "cap", "no_flop_no_drop"]) {
            var points = 0, cap: Int64 = 0, noFlopNoDrop = true
            if let entry = inner.entry("percent"), let value = basisPoints(entry.value, inner.path(of: entry)) {
                if value < 0 || value > 1000 {
                    report(entry.value.mark, inner.path(of: entry), .outOfRange, "must be between 0 and 10 (percent)")
                } else {
                    points = value
                }
            }
            if let entry = inner.entry("cap"), let value = integer(entry.value, inner.path(of: entry), in: 0...1_000_000_000_000, "must be zero or more") {
                cap = value
            }
            if let entry = inner.entry("no_flop_no_drop"), let value = bool(entry.value, inner.path(of: entry)) { noFlopNoDrop = value }
            rake = TableTypeConfig.Rake(basisPoints: points, cap: cap, noFlopNoDrop: noFlopNoDrop)
        }
        let passphrase = secret(fields, env: "passphrase_env", file: "passphrase_file", required: nil).value
        guard issues.count == before, let id, let variant, let blinds, let buyIn else { return nil }
        return (TableTypeConfig(id: id, name: name, variant: variant, blinds: blinds, ante: ante, buyIn: buyIn, seats: seats,
                                actionTimeout: actionTimeout, timeBank: timeBank, rake: rake, passphrase: passphrase,
                                timeBankRefill: timeBankRefill), idMark)
    }

    /// `tables[]`, expanded and resolved against the tenant's table types.
    mutating func tables(_ items: [YAMLNode], _ path: String, types: [TableTypeConfig], typesDeclared: Set<String>) -> [TableConfig] {
        var tables: [TableConfig] = []
        var marks: [String: Mark] = [:]
        marks.reserveCapacity(items.count)
        tables.reserveCapacity(items.count)
        var typesByID: [String: TableTypeConfig] = [:]
        for type in types { typesByID[type.id] = type }
        for (index, item) in items.enumerated() {
            guard let fields = fields(item, base: path, item: ConfigDecoder.idText(item) ?? String(index),
                                      allowed: ["id", "type", "count", "name"]) else { continue }
            var type: TableTypeConfig?
            if let entry = require(fields, "type"), let value = string(entry.value, fields.path(of: entry)) {
                if let found = typesByID[value] {
                    type = found
                } else if !typesDeclared.contains(value) {
                    let known = types.map(\.id).joined(separator: ", ")
                    report(entry.value.mark, fields.path(of: entry), .unknownTableType,
                           "no table type '\(value)' in this tenant" + (known.isEmpty ? "" : " (known: \(known))"))
                }
            }
            var name: String?
            if let entry = fields.entry("name"), let value = text(entry.value, fields.path(of: entry)) { name = value }
            let idEntry = fields.entry("id")
            let countEntry = fields.entry("count")
            if idEntry != nil, let countEntry {
                report(countEntry.key.mark, fields.path(of: countEntry), .conflictingKeys, "give either id (one table) or count (several tables), not both")
                continue
            }
            var produced: [(id: String, name: String, mark: Mark)] = []
            if let idEntry {
                guard let value = string(idEntry.value, fields.path(of: idEntry)) else { continue }
                guard ConfigDecoder.isSlug(value) else {
                    report(idEntry.value.mark, fields.path(of: idEntry), .invalidID, "'\(value)' is not a valid table id; use [a-z0-9][a-z0-9_-]{0,63}")
                    continue
                }
                produced.append((value, name ?? value, idEntry.value.mark))
            } else if let countEntry {
                guard let count = integer(countEntry.value, fields.path(of: countEntry), in: 1...1000) else { continue }
                guard let type else { continue }
                for number in 1...count {
                    let id = "\(type.id)-\(number)"
                    produced.append((id, name.map { "\($0) \(number)" } ?? id, countEntry.value.mark))
                }
            } else {
                report(fields.mark, fields.path, .missingKey, "needs id (one table) or count (several tables)")
                continue
            }
            guard let type else { continue }
            for table in produced {
                if let first = marks[table.id] {
                    report(table.mark, fields.path(of: idEntry ?? countEntry ?? fields.entries[0]), .duplicateID,
                           "duplicate table id '\(table.id)' (first defined at \(place(first)))")
                    continue
                }
                marks[table.id] = table.mark
                tables.append(TableConfig(id: table.id, name: table.name, type: type))
            }
        }
        return tables
    }
}

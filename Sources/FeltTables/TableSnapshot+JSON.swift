import PokerEngine

extension TableSnapshot {
    /// Writes the lobby object for `GET /api/tables` (`includeSeats: false`) or
    /// `GET /api/tables/{id}` (`includeSeats: true`, adds `hand_number` and `seat_map`).
    public func writeJSON(into w: inout JSONWriter, includeSeats: Bool) {
        w.raw("{\"id\":")
        w.string(tableID)
        w.raw(",\"name\":")
        w.string(name)
        w.raw(",\"variant\":")
        w.string(variant.rawValue)
        w.raw(",\"small_blind\":")
        w.int(smallBlind)
        w.raw(",\"big_blind\":")
        w.int(bigBlind)
        w.raw(",\"ante\":")
        switch ante {
        case .none: w.raw("{\"type\":\"none\",\"amount\":0}")
        case .perPlayer(let a): w.raw("{\"type\":\"per_player\",\"amount\":"); w.int(a); w.byte(UInt8(ascii: "}"))
        case .bigBlind(let a): w.raw("{\"type\":\"big_blind\",\"amount\":"); w.int(a); w.byte(UInt8(ascii: "}"))
        }
        w.raw(",\"buy_in_min\":")
        w.int(buyInMin)
        w.raw(",\"buy_in_max\":")
        w.int(buyInMax)
        w.raw(",\"seats\":")
        w.int(seatCount)
        w.raw(",\"seated\":")
        w.int(seatedCount)
        w.raw(",\"spectators\":")
        w.int(spectatorCount)
        w.raw(",\"private\":")
        w.bool(isPrivate)
        w.raw(",\"status\":")
        w.string(status.rawValue)
        if includeSeats {
            w.raw(",\"hand_number\":")
            w.int(handNumber)
            w.raw(",\"seat_map\":[")
            for (i, s) in seats.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"seat\":")
                w.int(s.seat)
                w.raw(",\"username\":")
                w.string(s.username)
                w.raw(",\"stack\":")
                w.int(s.stack)
                w.raw(",\"sitting_out\":")
                w.bool(s.isSittingOut)
                w.byte(UInt8(ascii: "}"))
            }
            w.byte(UInt8(ascii: "]"))
        }
        w.byte(UInt8(ascii: "}"))
    }

    /// The lobby object as bytes (see `writeJSON(into:includeSeats:)`).
    public func json(includeSeats: Bool) -> [UInt8] {
        var w = JSONWriter(capacity: 256 + (includeSeats ? 80 * seats.count : 0))
        writeJSON(into: &w, includeSeats: includeSeats)
        return w.bytes
    }
}

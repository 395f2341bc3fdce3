import Foundation
import Testing
@testable import FeltStore

@Suite struct ValueCodingTests {
    @Test func timestampsRoundTripThroughTheirTextForm() {
        let date = Date(timeIntervalSince1970: 1_767_323_045.678901)
        let text = PostgresTimestamp.format(date)
        #expect(text == "2026-01-02 03:04:05.678901+00")
        let parsed = PostgresTimestamp.parse(text)
        #expect(parsed.map { abs($0.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_001 } == true)
        #expect(PostgresTimestamp.parse("2026-01-02 05:34:05+02:30")?.timeIntervalSince1970 == 1_767_323_045)
        #expect(PostgresTimestamp.parse("2026-01-02 03:04:05")?.timeIntervalSince1970 == 1_767_323_045)
        #expect(PostgresTimestamp.parse("not a time") == nil)
        #expect(PostgresTimestamp.parse("2026-0x-02 03:04:05") == nil)
    }

    @Test func byteaHexIsDecodedAndMalformedHexRefused() {
        #expect(PostgresRow.decodeHex(Array("00ff7A".utf8)) == [0x00, 0xff, 0x7a])
        #expect(PostgresRow.decodeHex(Array("abc".utf8)) == nil)
        #expect(PostgresRow.decodeHex(Array("zz".utf8)) == nil)
    }

    @Test func parametersHaveTheirWireForms() {
        #expect(PostgresValue.null.encoded == nil)
        #expect(PostgresValue.int(-7).encoded.map { String(decoding: $0.bytes, as: UTF8.self) } == "-7")
        #expect(PostgresValue.bool(true).encoded.map { String(decoding: $0.bytes, as: UTF8.self) } == "t")
        #expect(PostgresValue.bytes([0, 1]).encoded?.binary == true)
        #expect(PostgresValue.text("x").encoded?.binary == false)
    }

    @Test func connectionStringsQuoteTheirValues() {
        let info = PostgresConnectionInfo(socketDirectory: "/tmp/a b", port: 5432, database: "it's", user: "back\\slash")
        #expect(info.conninfo == "host='/tmp/a b' port='5432' dbname='it\\'s' user='back\\\\slash'")
        let url = PostgresConnectionInfo(conninfo: "postgresql://u@h/db")
        #expect(url.adding([("application_name", "felt x")]) == "postgresql://u@h/db?application_name=felt%20x")
    }

    @Test func serverErrorsMapToStableCodes() {
        #expect(DatabaseError.fromServer(sqlState: "23505", message: "", constraint: nil).code == .uniqueViolation)
        #expect(DatabaseError.fromServer(sqlState: "23514", message: "", constraint: nil).code == .checkViolation)
        #expect(DatabaseError.fromServer(sqlState: "40001", message: "", constraint: nil).code == .serializationFailure)
        #expect(DatabaseError.fromServer(sqlState: "40P01", message: "", constraint: nil).code == .serializationFailure)
        #expect(DatabaseError.fromServer(sqlState: "57P01", message: "", constraint: nil).code == .databaseUnavailable)
        #expect(DatabaseError.fromServer(sqlState: "08006", message: "", constraint: nil).code == .databaseUnavailable)
        #expect(DatabaseError.fromServer(sqlState: "42P01", message: "", constraint: nil).code == .queryFailed)
        #expect(DatabaseError.Code.databaseUnavailable.rawValue == "database_unavailable")
    }
}

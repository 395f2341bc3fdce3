import FeltNet
import FeltTables
import Foundation
import PokerEngine
import Synchronization
import Testing
@testable import FeltServer

/// Reads frames as a client would (the server's frames are unmasked).
private func clientParse(_ frame: WebSocketEncodedFrame) -> [WebSocketFrameParser.Event] {
    var parser = WebSocketFrameParser(configuration: .init(maxMessageSize: 1 << 20, role: .client))
    return parser.parse(frame.bytes)
}

private func texts(_ events: [WebSocketFrameParser.Event]) -> [String] {
    events.compactMap { if case .text(let t) = $0 { t } else { nil } }
}

/// A small table with two players in a running hand, for real view messages.
private func sampleViews() throws -> GameViewSet {
    let settings = TableSettings(tableID: "frames", name: "Frames", rules: GameRules(variant: .nlhe, smallBlind: 1, bigBlind: 2),
                                 buyInMin: 40, buyInMax: 400, seatCount: 3)
    var state = try TableState(settings: settings, deckSource: .seeded(SeededCardRandom(seed: 3)), requiresHandRecord: false)
    _ = try state.join(user: UserID(1), username: "ann", buyIn: 100, now: 0)
    _ = try state.join(user: UserID(2), username: "bo\"b", buyIn: 200, now: 0)
    let views = state.gameViews()
    precondition(state.isHandRunning, "the sample hand runs")
    return views
}

@Suite("Table WebSocket framing and client messages")
struct TableSocketFramingTests {
    @Test("events and views of one change become back-to-back text frames a client reads as separate messages, views numbered in order")
    func batchOfFrames() throws {
        let views = try sampleViews()
        let event = TableMessages.event(.playerJoined(seat: 2, username: "cy", stack: 50), tableID: "frames")
        var seq: UInt64 = 5
        let frame = TableFrames.encode([event, views.view(for: 0)], then: views.view(for: 1), firstSeq: &seq)
        #expect(seq == 7)
        let got = texts(clientParse(frame))
        #expect(got == [event.text(seq: 0), views.view(for: 0).text(seq: 5), views.view(for: 1).text(seq: 6)])
        #expect(frame.count == got.reduce(0) { $0 + 2 + ($1.utf8.count > 125 ? 2 : 0) + $1.utf8.count })
        for text in got.dropFirst() {
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(obj["type"] as? String == "game_view")
        }
    }

    @Test("payload lengths around the 7-bit, 16-bit and 64-bit length forms frame exactly")
    func lengthForms() {
        for n in [0, 1, 125, 126, 127, 65_535, 65_536, 70_001] {
            let body = [UInt8](repeating: UInt8(ascii: "x"), count: n)
            let message = SharedMessage(kind: .event, body: body)
            let frame = TableFrames.encode(message, seq: 0)
            #expect(texts(clientParse(frame)) == [String(decoding: body, as: UTF8.self)], "length \(n)")
            #expect(frame.count == n + (n <= 125 ? 2 : n <= 65_535 ? 4 : 10))
            #expect(frame.bytes == WebSocketFrameEncoder.text(utf8: body).bytes)
        }
    }

    @Test("a connection's game views carry seq 1, 2, 3 … across single and batched deliveries; events take none")
    func sinkNumbersViews() throws {
        let views = try sampleViews()
        let frames = Mutex<[WebSocketEncodedFrame]>([])
        let sink = SocketSink { frame in frames.withLock { $0.append(frame) } }
        let event = TableMessages.event(.sittingOut(seat: 0, username: "ann", isSittingOut: true), tableID: "frames")
        sink.deliver(views.view(for: 0))
        sink.deliver([event, event], then: views.view(for: 0))
        sink.deliver([event], then: nil)
        sink.deliver([], then: views.spectator)
        sink.error(code: "bad_message", message: "nope")
        let all = frames.withLock { $0 }.flatMap { texts(clientParse($0)) }
        #expect(all.count == 7)
        let seqs = all.compactMap { text -> Int? in
            let obj = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
            return obj?["type"] as? String == "game_view" ? obj?["seq"] as? Int : nil
        }
        #expect(seqs == [1, 2, 3])
        #expect(all[1] == event.text(seq: 0) && all[2] == event.text(seq: 0) && all[4] == event.text(seq: 0))
        #expect(all[5] == views.spectator.text(seq: 3))
        #expect(all[6].contains("\"code\":\"bad_message\""))
    }

    @Test("client messages: the byte scanner agrees with JSONDecoder on plain and odd inputs alike")
    func scannerAgreesWithDecoder() {
        let inputs = [
            #"{"type":"action","action":{"type":"call","amount":40}}"#,
            #"{"action":{"amount":-7,"type":"raise"},"type":"action"}"#,
            #" { "type" : "spectate" } "#,
            #"{"type":"action","action":{"type":"fold"}}"#,
            #"{"type":"action","action":{"type":"bet","amount":null}}"#,
            #"{"type":"action","action":null}"#,
            #"{"type":"leave","extra":true,"n":1,"s":"x","z":null}"#,
            #"{"type":"action","action":{"type":"bet","amount":4.5}}"#,
            #"{"type":"action","action":{"type":"bet","amount":4.0}}"#,
            #"{"type":"action","action":{"type":"bet","amount":1e2}}"#,
            #"{"type":"action","action":{"type":"bet","amount":"5"}}"#,
            #"{"type":"action","action":{"type":"bet","amount":01}}"#,
            #"{"type":"action","action":{"type":"bet","amount":99999999999999999999}}"#,
            #"{"type":"act\u0069on","action":{"type":"call"}}"#,
            #"{"type":"spectate","type":"leave"}"#,
            #"{"type":"spectate","nested":{"a":[1,2]}}"#,
            #"{"type":5}"#, #"{}"#, #"[]"#, #""#, #"{"type":"spectate""#, #"{"type":"spectate"} x"#,
            #"{"type":"action","action":{"amount":3}}"#, "{\"type\":\"a\tb\"}", #"{"type":"ünïcode"}"#,
        ]
        var scanned = 0
        for input in inputs {
            let reference = try? JSONDecoder().decode(ClientMessage.self, from: Data(input.utf8))
            #expect(ClientMessage.decode(input) == reference, "\(input)")
            var copy = input
            if let fast = copy.withUTF8({ bytes -> ClientMessage? in
                var scanner = ClientMessageScanner(bytes: bytes)
                return scanner.message()
            }) {
                #expect(fast == reference, "\(input)")
                scanned += 1
            }
        }
        #expect(scanned >= 7)
        #expect(ClientMessage.decode(inputs[0]) == ClientMessage(type: "action", action: .init(type: "call", amount: 40)))
    }
}

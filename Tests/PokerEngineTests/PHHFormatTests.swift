import Testing
@testable import PokerEngine

@Suite struct PHHFormatTests {
    static let dwanIvey = """
    # A big pot between Dwan and Ivey (PHH specification example).
    variant = "NT"
    antes = [500, 500, 500]
    blinds_or_straddles = [1000, 2000, 0]
    min_bet = 2000
    starting_stacks = [1125600, 2000000, 553500]
    actions = [
      # Pre-flop
      "d dh p1 Ac2d",  # Ivey
      "d dh p2 ????",  # Antonius
      "d dh p3 7h6h",  # Dwan
      "p3 cbr 7000",
      "p1 cbr 23000",
      "p2 f",
      "p3 cc",
      "d db Jc3d5c",
      "p1 cbr 35000",
      "p3 cc",
      "d db 4h",
      "p1 cbr 90000",
      "p3 cbr 232600",
      "p1 cbr 1067100",
      "p3 cc",
      "p1 sm Ac2d",
      "p3 sm 7h6h",
      "d db Jh",
    ]
    author = "Juho Kim"
    year = 2009
    players = ["Phil Ivey", "Patrik Antonius", "Tom Dwan"]
    """

    @Test func readsTheSpecificationExampleHand() throws {
        let hands = try PHHFile.parse(Self.dwanIvey)
        #expect(hands.count == 1)
        let hand = hands[0].hand
        #expect(hand.variant == .noLimitTexasHoldem)
        #expect(hand.antes == [500, 500, 500])
        #expect(hand.blindsOrStraddles == [1000, 2000, 0])
        #expect(hand.minBet == 2000 && hand.smallBet == nil)
        #expect(hand.startingStacks == [1_125_600, 2_000_000, 553_500])
        #expect(hand.players == ["Phil Ivey", "Patrik Antonius", "Tom Dwan"])
        #expect(hand.actions.count == 18)
        #expect(hand.actions[1].kind == .dealHole(player: 1, cards: [nil, nil]))
        #expect(hand.actions[1].commentary == nil)  // `# Antonius` is a TOML comment, not a commentary
        #expect(hand.actions[3].kind == .completeBetOrRaiseTo(player: 2, amount: 7000))
        #expect(hand.actions[5].kind == .fold(player: 1))
        #expect(hand.actions[7].kind == .dealBoard(["Jc", "3d", "5c"].compactMap(Card.init)))
        #expect(hand.actions[15].kind == .show(player: 0, cards: ["Ac", "2d"].map(Card.init)))
        #expect(hand.field("author") == .string("Juho Kim"))
        #expect(hand.field("year") == .integer(2009))
    }

    @Test func writtenHandReadsBackEqual() throws {
        let hand = try PHHFile.parse(Self.dwanIvey)[0].hand
        let again = try PHHFile.parse(hand.phhText)[0].hand
        #expect(again.entries.map(\.key) == hand.entries.map(\.key))
        #expect(again.actions == hand.actions)
        #expect(again.startingStacks == hand.startingStacks && again.players == hand.players)
        #expect(again.phhText == hand.phhText)
    }

    @Test func multiHandFilesNameHandsByTableOrHandField() throws {
        let text = """
        [1]
        variant = "FT"
        antes = [0, 0]
        blinds_or_straddles = [1, 2]
        small_bet = 2
        big_bet = 4
        starting_stacks = [100, 100]
        actions = ["d dh p1 AcAd", "d dh p2 KcKd", "p2 f"]

        [2]
        hand = "evening-7"
        variant = "PO"
        antes = [0, 0, 0]
        blinds_or_straddles = [1, 2, 0]
        min_bet = 2
        starting_stacks = [50, 60.0, 70]
        actions = []
        """
        let hands = try PHHFile.parse(text)
        #expect(hands.map(\.name) == ["1", "evening-7"])
        #expect(hands[0].hand.variant == .fixedLimitTexasHoldem && hands[0].hand.bigBet == 4)
        #expect(hands[1].hand.startingStacks == [50, 60, 70])
        let rewritten = try PHHFile.parse(PHHFile.multiHandText(hands.map(\.hand)))
        #expect(rewritten.map(\.hand) == hands.map(\.hand))
    }

    @Test(arguments: [
        ("variant = \"F7S\"\n", "phh.unsupported_variant", "F7S"),
        ("variant = \"NT\"\nantes = [0, 0]\n", "phh.missing_field", "blinds_or_straddles"),
        ("variant = \"NT\"\nantes = [0]\nblinds_or_straddles = [1, 2]\nmin_bet = 2\nstarting_stacks = [10, 10]\nactions = []\n",
         "phh.bad_value", "'antes' has 1 entries"),
        ("variant = \"NT\"\nantes = [0, 0]\nblinds_or_straddles = [1, 2]\nmin_bet = 2\nstarting_stacks = [10, 10.5]\nactions = []\n",
         "phh.bad_value", "not a whole number"),
        ("variant = \"NT\"\nantes = [0, 0]\nblinds_or_straddles = [1, 2]\nmin_bet = 2\nstarting_stacks = [10, 10]\nactions = [\"p1 xyz\"]\n",
         "phh.bad_action", "unknown action 'xyz'"),
        ("variant = \"NT\"\nantes = [0, 0]\nblinds_or_straddles = [1, 2]\nmin_bet = 2\nstarting_stacks = [10, 10]\nactions = [\"p3 f\"]\n",
         "phh.bad_action", "only 2 players"),
        ("variant = \"NT\"\nantes = [0, 0]\nblinds_or_straddles = [1, 2]\nmin_bet = 2\nstarting_stacks = [10, 10]\nactions = [\"d dh p1 AcXx\"]\n",
         "phh.bad_action", "'Xx' is not a card"),
        ("variant = \"FT\"\nantes = [0, 0]\nblinds_or_straddles = [1, 2]\nmin_bet = 2\nstarting_stacks = [10, 10]\nactions = []\n",
         "phh.missing_field", "small_bet"),
        ("variant = \"NT\"\nantes = \"none\"\n", "phh.field_type", "'antes' must be an array"),
        ("variant = \"NT\"\nactions = [\n\"p1 f\",\n", "phh.toml", "unterminated array"),
    ])
    func badHandsAreRejectedWithACodeAndReason(text: String, code: String, fragment: String) {
        do {
            _ = try PHHFile.parse(text)
            Issue.record("accepted a bad hand")
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
            #expect(error.line != nil || code == "phh.unsupported_variant", "\(error)")
        }
    }

    @Test func actionNotationParsesAndPrintsBack() throws {
        for text in ["d dh p1 AcKd", "d dh p3 ????????", "d db 7h8h9h", "d db Ts", "p1 cbr 20", "p2 cc", "p3 f",
                     "p1 sm AcKd", "p2 sm", "p2 sm -", "p4 cbr 1000 # shove"] {
            #expect(try PHHAction.parse(text).description == text)
        }
        #expect(try PHHAction.parse("  p1   cbr   20.0  ").kind == .completeBetOrRaiseTo(player: 0, amount: 20))
        #expect(try PHHAction.parse("# burn card exposed").kind == .noOp)
        #expect(throws: PHHError.self) { try PHHAction.parse("p1 cbr 2.5") }
        #expect(throws: PHHError.self) { try PHHAction.parse("p0 f") }
        #expect(throws: PHHError.self) { try PHHAction.parse("p1 pb") }
    }
}

import Testing
@testable import FeltAuth

@Suite struct UsernameAndPasswordPolicyTests {
    @Test(arguments: ["abc", "Alice", "bob_99", "x.y-z", "9lives", String(repeating: "a", count: 32)])
    func validUsernamesAreAccepted(name: String) throws {
        let username = try Username(name)
        #expect(username.display == name)
        #expect(username.canonical == name.lowercased())
    }

    @Test func uniquenessKeyIsCaseInsensitive() throws {
        #expect(try Username("Alice").canonical == Username("aLICE").canonical)
        #expect(try Username("Alice") != Username("aLICE"))
    }

    @Test(arguments: [
        ("ab", "username must be 3–32 characters"),
        (String(repeating: "a", count: 33), "username must be 3–32 characters"),
        ("_alice", "username must start with a letter or a digit"),
        (".alice", "username must start with a letter or a digit"),
        ("al ice", "username may contain only letters A–Z, a–z, digits, '_', '.' and '-'"),
        ("alïce", "username may contain only letters A–Z, a–z, digits, '_', '.' and '-'"),
        ("al/ice", "username may contain only letters A–Z, a–z, digits, '_', '.' and '-'"),
        ("al\u{0}ice", "username may contain only letters A–Z, a–z, digits, '_', '.' and '-'"),
    ])
    func invalidUsernamesAreRejectedWithCode(name: String, message: String) {
        do {
            _ = try Username(name)
            Issue.record("accepted \(name)")
        } catch {
            #expect(error.code == "invalid_username")
            #expect(error.message == message)
        }
    }

    @Test func passwordsNeedEightScalarsAndAtMost1024Bytes() throws {
        try PasswordPolicy.validate("12345678")
        try PasswordPolicy.validate("ééééééé\u{301}")  // 8 scalars, 7 characters
        try PasswordPolicy.validate(String(repeating: "a", count: 1024))
        #expect(throws: CredentialError.weakPassword("must be at least 8 characters")) { try PasswordPolicy.validate("1234567") }
        #expect(throws: CredentialError.weakPassword("must be at least 8 characters")) { try PasswordPolicy.validate("") }
        #expect(throws: CredentialError.weakPassword("must be at most 1024 bytes")) {
            try PasswordPolicy.validate(String(repeating: "a", count: 1025))
        }
        #expect(CredentialError.weakPassword("x").code == "weak_password")
    }
}

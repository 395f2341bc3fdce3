import Foundation

/// `POST /api/auth/register` body.
struct RegisterRequest: Decodable, Sendable {
    let username: String
    let password: String
    let email: String?
}

/// `POST /api/auth/login` body.
struct LoginRequest: Decodable, Sendable {
    let username: String
    let password: String
}

/// `POST /api/auth/refresh` body (and the optional `POST /api/auth/logout` body).
struct RefreshRequest: Decodable, Sendable {
    let refreshToken: String?

    enum CodingKeys: String, CodingKey {
        case refreshToken = "refresh_token"
    }
}

/// A user in responses.
struct UserBody: Encodable, Sendable {
    let id: Int64
    let username: String
    let email: String?
    let createdAt: String
    let balance: Int64
    let chipName: String

    enum CodingKeys: String, CodingKey {
        case id, username, email, balance
        case createdAt = "created_at"
        case chipName = "chip_name"
    }

    init(_ user: AccountProfile, chipName: String) {
        id = user.id
        username = user.username
        email = user.email
        createdAt = user.createdAt
        balance = user.balance
        self.chipName = chipName
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(username, forKey: .username)
        try container.encode(email, forKey: .email) // null when absent
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(balance, forKey: .balance)
        try container.encode(chipName, forKey: .chipName)
    }
}

/// Register and login answer: the user and a token pair.
struct SessionBody: Encodable, Sendable {
    let user: UserBody?
    let accessToken: String
    let refreshToken: String
    let tokenType = "Bearer"
    let expiresIn: Int64

    enum CodingKeys: String, CodingKey {
        case user
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
    }
}

/// `GET /api/auth/token-check` answer.
struct TokenCheckBody: Encodable, Sendable {
    let sub: String
    let exp: Int64
}

/// `POST /api/auth/logout` answer.
struct LogoutBody: Encodable, Sendable {
    let loggedOut = true
    let revokedRefreshTokens: Int

    enum CodingKeys: String, CodingKey {
        case loggedOut = "logged_out"
        case revokedRefreshTokens = "revoked_refresh_tokens"
    }
}

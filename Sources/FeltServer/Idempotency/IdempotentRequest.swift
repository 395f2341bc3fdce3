import FeltAuth
import FeltNet
import FeltStore

/// Runs a state-changing request under its optional `Idempotency-Key` header:
///
/// * no key: the request simply runs;
/// * a new key: runs, and the response (any status below 500) is stored for 24 hours;
/// * the same key and the same request (method, path, body): the stored response, nothing runs again;
/// * the same key with a different request: 422 `idempotency_key_reused`;
/// * the same key while the first request still runs: waits up to `wait` for it, then
///   409 `request_in_progress`;
/// * a response that could not be stored releases the key (a retry runs again).
public struct IdempotentRequest: Sendable {
    /// Where responses are kept.
    public let store: IdempotencyStore
    /// How long a duplicate waits for the first request to finish.
    public var wait: Duration = .seconds(5)

    /// A runner over `store`.
    public init(store: IdempotencyStore) { self.store = store }

    /// The header value, validated: 1–255 visible ASCII characters.
    static func key(of request: HTTPRequest) throws(HTTPError) -> String? {
        guard let raw = request.headers["Idempotency-Key"] else { return nil }
        let key = raw.trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, key.utf8.count <= 255, key.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
            throw HTTPError(status: 400, code: "invalid_idempotency_key",
                            message: "Idempotency-Key must be 1 to 255 visible ASCII characters")
        }
        return key
    }

    /// Runs `body` for `user` under the request's key.
    public func run(_ request: HTTPRequest, user: Int64, log: ServerLog, tenant: String,
                    _ body: () async -> HTTPResponse) async -> HTTPResponse {
        let key: String?
        do { key = try Self.key(of: request) } catch { return error.response }
        guard let key else { return await body() }
        var fingerprint = Array("\(request.method.rawValue) \(request.path)\n".utf8)
        fingerprint.append(contentsOf: request.body)
        let hash = Crypto.hex(Crypto.sha256(fingerprint))
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: wait)
        while true {
            let begin: IdempotencyStore.Begin
            do {
                begin = try await store.begin(user: user, key: key, requestHash: hash)
            } catch {
                return APIError.database(error, log: log, tenant: tenant).response
            }
            switch begin {
            case .started:
                let response = await body()
                do {
                    if response.status >= 500 {
                        try await store.abandon(user: user, key: key)
                    } else {
                        try await store.finish(user: user, key: key, status: response.status,
                                               body: String(decoding: response.body, as: UTF8.self))
                    }
                } catch {
                    // Left 'running', the key would answer every retry with 409
                    // request_in_progress for 24 hours although nothing runs: release it, so a
                    // retry runs again and gets the honest answer (e.g. already_seated).
                    log("tenant \(tenant): storing idempotent response failed: \(error); the key is released")
                    try? await store.abandon(user: user, key: key)
                }
                return response
            case .replay(let status, let text):
                var response = HTTPResponse.json(bytes: Array(text.utf8), status: status)
                response.headers.replace("Idempotent-Replayed", "true")
                return response
            case .mismatch:
                return HTTPError(status: 422, code: "idempotency_key_reused",
                                 message: "this Idempotency-Key was used with a different request").response
            case .inProgress:
                if clock.now >= deadline {
                    return HTTPError(status: 409, code: "request_in_progress",
                                     message: "a request with this Idempotency-Key is still in progress; retry shortly",
                                     headers: ["Retry-After": "1"]).response
                }
                try? await Task.sleep(for: .milliseconds(25))
            }
        }
    }
}

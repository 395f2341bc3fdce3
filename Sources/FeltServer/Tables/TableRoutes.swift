import FeltNet
import FeltStore
import FeltTables
import Foundation

/// The tables area of a tenant's API: lobby, join/leave, wallet, hand histories and the
/// table WebSocket. See docs/api.md.
public enum TableRoutes {
    /// The route area over `live` (filled by `LiveTables.open` before the listener starts).
    public static func area(_ live: LiveTables) -> RouteArea {
        RouteArea(name: "tables") { routes in
            routes.get("/api/tables") { _, _, runtime throws(HTTPError) in
                let tenant = try tables(live, runtime)
                return .json(LobbyResponse(tables: tenant.tables.map { LobbyTable($0.actor.lobbySnapshot(), withSeats: false) }))
            }
            routes.get("/api/tables/{id}") { _, context, runtime throws(HTTPError) in
                let table = try lookup(live, runtime, context)
                return .json(LobbyTable(await table.actor.snapshot(), withSeats: true))
            }
            routes.post("/api/tables/{id}/join") { request, context, runtime throws(HTTPError) in
                try await join(live, request, context, runtime)
            }
            routes.post("/api/tables/{id}/leave") { request, context, runtime throws(HTTPError) in
                try await leave(live, request, context, runtime)
            }
            routes.get("/api/tables/{id}/hands") { request, context, runtime throws(HTTPError) in
                let user = try runtime.authenticate(request)
                let tenant = try tables(live, runtime)
                guard let id = context[parameter: "id"], tenant.table(id) != nil else { throw tableNotFound }
                let (limit, cursor) = try paging(request)
                let hands = try await runtime.store { () throws(DatabaseError) in
                    try await HandHistory.recent(schema: tenant.schema, pool: tenant.pool, table: id, user: user.userID,
                                                 before: cursor, limit: limit)
                }
                return .json(HandListResponse(hands: hands, nextCursor: hands.count == limit ? hands.last?.id : nil))
            }
            routes.get("/api/hands/{id}") { request, context, runtime throws(HTTPError) in
                try await hand(live, request, context, runtime)
            }
            routes.get("/api/wallet") { request, _, runtime throws(HTTPError) in
                let user = try runtime.authenticate(request)
                let tenant = try tables(live, runtime)
                let balance = try await runtime.store { () throws(DatabaseError) in
                    try await WalletQueries.balance(schema: tenant.schema, pool: tenant.pool, user: user.userID)
                }
                guard let balance else { throw TenantRuntime.unauthorized("the account no longer exists") }
                return .json(WalletResponse(balance: balance, chipName: runtime.config.wallet.chipName))
            }
            routes.get("/api/wallet/ledger") { request, _, runtime throws(HTTPError) in
                let user = try runtime.authenticate(request)
                let tenant = try tables(live, runtime)
                let (limit, cursor) = try paging(request)
                let entries = try await runtime.store { () throws(DatabaseError) in
                    try await WalletQueries.entries(schema: tenant.schema, pool: tenant.pool, user: user.userID,
                                                    before: cursor, limit: limit)
                }
                return .json(WalletLedgerResponse(entries: entries, nextCursor: entries.count == limit ? entries.last?.id : nil))
            }
            routes.webSocket("/ws/table/{id}") { request, context, runtime throws(HTTPError) in
                let user = try runtime.authenticateWebSocket(request)
                let table = try lookup(live, runtime, context)
                let tenant = try tables(live, runtime)
                return TableSocket.handler(table: table, tenant: tenant, user: user.userID)
            }
        }
    }

    // MARK: Handlers

    static func join(_ live: LiveTables, _ request: HTTPRequest, _ context: RequestContext,
                     _ runtime: TenantRuntime) async throws(HTTPError) -> HTTPResponse {
        let user = try runtime.authenticate(request)
        let table = try lookup(live, runtime, context)
        let tenant = try tables(live, runtime)
        let body: JoinRequest = try request.decodeJSON()
        guard let amount = body.buyInAmount else {
            throw HTTPError(status: 400, code: "invalid_buy_in", message: "buy_in_amount is required")
        }
        let userID = user.userID
        let log = runtime.log
        return await tenant.idempotency.run(request, user: userID, log: log, tenant: runtime.id) {
            await tenant.userLocks.withLock(userID) {
                do throws(HTTPError) {
                    guard table.passphraseMatches(body.passphrase) else { throw HTTPError(TableError.wrongPassphrase) }
                    guard amount >= Int64(table.settings.buyInMin), amount <= Int64(table.settings.buyInMax) else {
                        throw HTTPError(TableError.invalidBuyIn(amount: Int(clamping: amount), min: table.settings.buyInMin,
                                                                max: table.settings.buyInMax))
                    }
                    let profile = try await runtime.store { () throws(DatabaseError) in try await runtime.accounts.profile(userID: userID) }
                    guard let profile else { throw TenantRuntime.unauthorized("the account no longer exists") }
                    let outcome = await table.actor.join(user: UserID(userID), username: profile.username, buyIn: Int(amount),
                                                         passphraseVerified: table.settings.isPrivate)
                    switch outcome {
                    case .failure(let error): throw HTTPError(error)
                    case .success(let joined):
                        let balance = try await balance(tenant, runtime, userID)
                        return .json(JoinResponse(tableID: table.settings.tableID, seat: joined.seat, stack: joined.stack,
                                                  balance: balance))
                    }
                } catch {
                    return error.response
                }
            }
        }
    }

    static func leave(_ live: LiveTables, _ request: HTTPRequest, _ context: RequestContext,
                      _ runtime: TenantRuntime) async throws(HTTPError) -> HTTPResponse {
        let user = try runtime.authenticate(request)
        let table = try lookup(live, runtime, context)
        let tenant = try tables(live, runtime)
        let userID = user.userID
        return await tenant.idempotency.run(request, user: userID, log: runtime.log, tenant: runtime.id) {
            await tenant.userLocks.withLock(userID) {
                do throws(HTTPError) {
                    switch await table.actor.leave(user: UserID(userID)) {
                    case .failure(let error): throw HTTPError(error)
                    case .success(let left):
                        let balance = try await balance(tenant, runtime, userID)
                        return .json(LeaveResponse(tableID: table.settings.tableID, returned: left.returned, balance: balance,
                                                   paidAtHandEnd: left.paidAtHandEnd))
                    }
                } catch {
                    return error.response
                }
            }
        }
    }

    static func hand(_ live: LiveTables, _ request: HTTPRequest, _ context: RequestContext,
                     _ runtime: TenantRuntime) async throws(HTTPError) -> HTTPResponse {
        let user = try runtime.authenticate(request)
        let tenant = try tables(live, runtime)
        guard let text = context[parameter: "id"], let id = Int64(text), id > 0 else { throw handNotFound }
        let format = request.query["format"] ?? "json"
        guard format == "json" || format == "phh" else {
            throw HTTPError(status: 400, code: "invalid_format", message: "format must be json or phh")
        }
        let found = try await runtime.store { () throws(DatabaseError) in
            try await HandHistory.hand(schema: tenant.schema, pool: tenant.pool, id: id, user: user.userID)
        }
        switch found {
        case .failure(.notFound): throw handNotFound
        case .failure(.notDealtIn):
            throw HTTPError(status: 403, code: "not_dealt_in", message: "only players dealt into this hand can see it")
        case .failure(.unreadable):
            runtime.log("tenant \(runtime.id): hand \(id) record is unreadable")
            throw APIError.internalError
        case .success(let hand):
            if format == "phh" {
                var response = HTTPResponse.text(HandHistory.phh(hand))
                response.headers.replace("Content-Type", "application/x-phh; charset=utf-8")
                return response
            }
            return .json(HandResponse(id: hand.id, tableID: hand.tableID, handNumber: hand.handNumber, rake: hand.rake,
                                      startedAt: hand.startedAt, finishedAt: hand.finishedAt, players: hand.players,
                                      record: hand.record))
        }
    }

    // MARK: Helpers

    static let tableNotFound = HTTPError(status: 404, code: "table_not_found", message: "no such table")
    static let handNotFound = HTTPError(status: 404, code: "hand_not_found", message: "no such hand")
    static let unavailable = APIError.tenantUnavailable

    static func tables(_ live: LiveTables, _ runtime: TenantRuntime) throws(HTTPError) -> TenantTables {
        guard let tenant = live.tenant(runtime.id) else { throw unavailable }
        return tenant
    }

    static func lookup(_ live: LiveTables, _ runtime: TenantRuntime, _ context: RequestContext) throws(HTTPError) -> LiveTable {
        let tenant = try tables(live, runtime)
        guard let id = context[parameter: "id"], let table = tenant.table(id) else { throw tableNotFound }
        return table
    }

    static func balance(_ tenant: TenantTables, _ runtime: TenantRuntime, _ user: Int64) async throws(HTTPError) -> Int64 {
        try await runtime.store { () throws(DatabaseError) in
            try await WalletQueries.balance(schema: tenant.schema, pool: tenant.pool, user: user) ?? 0
        }
    }

    /// `?limit=` (1…200, default 50) and `?cursor=` (an id from `next_cursor`).
    static func paging(_ request: HTTPRequest) throws(HTTPError) -> (limit: Int, cursor: Int64?) {
        let query = request.query
        var limit = 50
        if let text = query["limit"] {
            guard let value = Int(text), (1...200).contains(value) else {
                throw HTTPError(status: 400, code: "invalid_limit", message: "limit must be 1 to 200")
            }
            limit = value
        }
        var cursor: Int64?
        if let text = query["cursor"] {
            guard let value = Int64(text), value > 0 else {
                throw HTTPError(status: 400, code: "invalid_cursor", message: "cursor must be a next_cursor value")
            }
            cursor = value
        }
        return (limit, cursor)
    }
}

extension HTTPError {
    /// The HTTP form of a table refusal (same code and message as on the WebSocket).
    init(_ error: TableError) {
        self.init(status: error.httpStatus, code: error.code, message: error.message)
    }
}

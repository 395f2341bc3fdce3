import CLibPQ
import Foundation
import Testing
@testable import FeltStore

/// Runs one statement over a fresh blocking libpq connection and returns the first value
/// (test helper; product code goes through `PostgresPool`).
func rawScalar(_ info: PostgresConnectionInfo, _ sql: String) -> String? {
    guard let conn = PQconnectdb(info.conninfo) else { return nil }
    defer { PQfinish(conn) }
    guard PQstatus(conn) == CONNECTION_OK, let result = PQexec(conn, sql) else { return nil }
    defer { PQclear(result) }
    let status = PQresultStatus(result)
    guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else { return nil }
    guard PQntuples(result) > 0, PQgetisnull(result, 0, 0) == 0, let value = PQgetvalue(result, 0, 0) else { return "" }
    return String(cString: value)
}

func makeTemporaryDirectory(_ prefix: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite(.serialized) struct EmbeddedPostgresTests {
    @Test func clusterStartsAnswersSelectOneStopsAndRestartsFromTheSameFolder() async throws {
        let folder = try makeTemporaryDirectory("felt-embedded")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cluster = EmbeddedPostgres(configuration: .init(directory: folder, durable: false))
        try await cluster.start()
        #expect(rawScalar(cluster.connectionInfo(), "SELECT 1") == "1")
        #expect(rawScalar(cluster.connectionInfo(), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')") != nil)
        #expect(rawScalar(cluster.connectionInfo(), "SHOW listen_addresses") == "")
        #expect(rawScalar(cluster.connectionInfo(), "SHOW unix_socket_directories") == cluster.configuration.resolvedSocketDirectory)
        #expect(rawScalar(cluster.connectionInfo(), "SHOW server_encoding") == "UTF8")

        try await cluster.stop()
        #expect(await cluster.isRunning() == false)
        #expect(rawScalar(cluster.connectionInfo(), "SELECT 1") == nil)
        #expect(!FileManager.default.fileExists(atPath: cluster.configuration.dataDirectory + "/postmaster.pid"))

        let again = EmbeddedPostgres(configuration: .init(directory: folder, durable: false))
        try await again.start()
        #expect(rawScalar(again.connectionInfo(), "SELECT v FROM kept") == "still here")
        try await again.stop()
    }

    @Test func startingTwiceAdoptsTheRunningServer() async throws {
        let folder = try makeTemporaryDirectory("felt-adopt")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cluster = EmbeddedPostgres(configuration: .init(directory: folder, durable: false))
        try await cluster.start()
        let pid = try #require(EmbeddedPostgres.readPidFile(cluster.configuration.dataDirectory + "/postmaster.pid")?.pid)
        try await cluster.start()
        #expect(EmbeddedPostgres.readPidFile(cluster.configuration.dataDirectory + "/postmaster.pid")?.pid == pid)
        #expect(rawScalar(cluster.connectionInfo(), "SELECT 2") == "2")
        try await cluster.stop()
    }

    @Test func aKilledPostmasterLeavesAStalePidThatTheNextStartHandles() async throws {
        let folder = try makeTemporaryDirectory("felt-crash")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cluster = EmbeddedPostgres(configuration: .init(directory: folder, durable: false))
        try await cluster.start()
        let pidFile = cluster.configuration.dataDirectory + "/postmaster.pid"
        let pid = try #require(EmbeddedPostgres.readPidFile(pidFile)?.pid)
        #expect(kill(pid, SIGKILL) == 0)
        for _ in 0..<1000 where EmbeddedPostgres.processExists(pid) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(FileManager.default.fileExists(atPath: pidFile))
        try await cluster.start()
        #expect(rawScalar(cluster.connectionInfo(), "SELECT 3") == "3")
        #expect(EmbeddedPostgres.readPidFile(pidFile)?.pid != pid)
        try await cluster.stop()
    }

    @Test func aPidFileNamingAnUnrelatedLiveProcessIsTreatedAsStale() async throws {
        let folder = try makeTemporaryDirectory("felt-pidreuse")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cluster = EmbeddedPostgres(configuration: .init(directory: folder, durable: false))
        try await cluster.start()
        try await cluster.stop()
        // Our own pid is alive and is not a postgres process: exactly a recycled pid.
        let pidFile = cluster.configuration.dataDirectory + "/postmaster.pid"
        let fake = "\(getpid())\n\(cluster.configuration.dataDirectory)\n0\n5432\n\(cluster.configuration.resolvedSocketDirectory)\n\n"
        try fake.write(toFile: pidFile, atomically: true, encoding: .utf8)
        try await cluster.start()
        #expect(rawScalar(cluster.connectionInfo(), "SELECT 4") == "4")
        try await cluster.stop()
    }

    @Test func zombiesAndMissingProcessesDoNotCountAsRunning() throws {
        #expect(EmbeddedPostgres.processExists(getpid()))
        #expect(!EmbeddedPostgres.processExists(0))
        var child: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { arguments.forEach { free($0) } }
        #expect(posix_spawn(&child, "/bin/true", nil, nil, arguments, nil) == 0)
        // Not reaped yet: a zombie once it exits.
        for _ in 0..<500 where EmbeddedPostgres.processExists(child) { usleep(10_000) }
        #expect(!EmbeddedPostgres.processExists(child))
        var status: Int32 = 0
        _ = waitpid(child, &status, 0)
        #expect(!EmbeddedPostgres.processExists(child))
    }

    @Test func binariesAreFoundUnderTheHighestVersion() throws {
        let bin = try EmbeddedPostgres.findBinDirectory()
        #expect(bin.hasPrefix("/usr/lib/postgresql/") && bin.hasSuffix("/bin"))
        #expect(FileManager.default.isExecutableFile(atPath: bin + "/initdb"))
        let missing = #expect(throws: EmbeddedPostgresError.self) { try EmbeddedPostgres.findBinDirectory(root: "/nonexistent") }
        #expect(missing?.code == .binariesNotFound)
    }

    @Test func aLongFolderPathGetsAShortSocketDirectory() {
        let long = "/tmp/" + String(repeating: "x", count: 120)
        let configuration = EmbeddedPostgresConfiguration(directory: long)
        #expect(configuration.resolvedSocketDirectory.hasPrefix("/tmp/felt-pg-"))
        #expect(EmbeddedPostgresConfiguration(directory: "/tmp/short").resolvedSocketDirectory == "/tmp/short/run")
    }

    @Test func aRelativeFolderIsResolvedOnce() {
        let cluster = EmbeddedPostgres(configuration: .init(directory: "some/relative/../folder/"))
        let expected = FileManager.default.currentDirectoryPath + "/some/folder"
        #expect(cluster.configuration.directory == expected)
        #expect(cluster.configuration.dataDirectory == expected + "/pgdata")
    }
}

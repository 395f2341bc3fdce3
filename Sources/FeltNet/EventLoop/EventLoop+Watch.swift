import CLinuxSys
import Glibc

/// Readiness of a watched descriptor, as reported by epoll.
public struct FileDescriptorEvents: Sendable, Equatable {
    /// Data can be read (or the peer closed).
    public var readable: Bool
    /// Data can be written.
    public var writable: Bool
    /// Error or hang-up reported.
    public var failed: Bool
}

/// A descriptor watched by a loop (e.g. a libpq socket from `PQsocket`); the handler
/// runs on the loop's thread each time epoll reports it ready (level-triggered).
/// Confined to its loop: create, update and cancel it on that loop.
public final class FileDescriptorWatch: EventLoopSelectable {
    /// The loop that owns the watch.
    public let loop: EventLoop
    /// The descriptor (not owned: cancelling does not close it).
    public let fd: Int32
    private let handler: (FileDescriptorEvents) -> Void
    private var active = true

    init(loop: EventLoop, fd: Int32, handler: @escaping (FileDescriptorEvents) -> Void) {
        self.loop = loop
        self.fd = fd
        self.handler = handler
    }

    func handleEvents(_ events: UInt32) {
        guard active else { return }
        handler(FileDescriptorEvents(readable: events & EPOLLIN.rawValue != 0,
                                     writable: events & EPOLLOUT.rawValue != 0,
                                     failed: events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0))
    }

    /// Changes which readiness is watched (on the loop's thread).
    public func update(readable: Bool, writable: Bool) {
        precondition(loop.inEventLoop, "FileDescriptorWatch.update off its loop")
        guard active else { return }
        loop.modify(fd: fd, events: EventLoop.interest(readable: readable, writable: writable))
    }

    /// Stops watching (on the loop's thread); the descriptor stays open.
    public func cancel() {
        precondition(loop.inEventLoop, "FileDescriptorWatch.cancel off its loop")
        guard active else { return }
        active = false
        loop.deregister(fd: fd)
    }
}

extension EventLoop {
    static func interest(readable: Bool, writable: Bool) -> UInt32 {
        (readable ? EPOLLIN.rawValue : 0) | (writable ? EPOLLOUT.rawValue : 0)
    }

    /// Watches `fd` for readiness; must be called on this loop's thread (e.g. from an
    /// actor pinned to the loop, or inside `execute`). The descriptor should be
    /// non-blocking; the handler must not block.
    public func watch(fd: Int32, readable: Bool = true, writable: Bool = false,
                      _ handler: @escaping (FileDescriptorEvents) -> Void) throws(NetworkError) -> FileDescriptorWatch {
        precondition(inEventLoop, "EventLoop.watch off its loop")
        let watch = FileDescriptorWatch(loop: self, fd: fd, handler: handler)
        try register(fd: fd, watch, events: EventLoop.interest(readable: readable, writable: writable))
        return watch
    }
}

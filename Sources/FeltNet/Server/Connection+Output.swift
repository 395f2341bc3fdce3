import CLinuxSys
import Glibc

/// Writing to the socket: direct sends, the bounded outbound queue and EPOLLOUT.
extension Connection {

    /// Sends `bytes` now as far as the socket takes them and queues the rest. A peer
    /// whose queue is already over the limit is closed.
    func write(_ bytes: [UInt8]) {
        guard !closed, !bytes.isEmpty else { return }
        if !outbound.isEmpty {
            if outbound.byteCount > state.configuration.maxOutboundBytes {
                closeNow()
                return
            }
            outbound.append(bytes)
            return
        }
        let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if sent == bytes.count { return }
        if sent < 0 {
            let error = felt_errno()
            guard error == EAGAIN || error == EWOULDBLOCK || error == EINTR else {
                closeNow()
                return
            }
        }
        outbound.append(bytes, from: max(0, sent))
        setWriteInterest(true)
    }

    func flush() {
        guard !closed else { return }
        var failed = false
        let done = outbound.drain { raw in
            let sent = send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
            if sent < 0 {
                let error = felt_errno()
                if !(error == EAGAIN || error == EWOULDBLOCK || error == EINTR) { failed = true }
                return -1
            }
            return sent
        }
        if failed {
            closeNow()
            return
        }
        if done {
            setWriteInterest(false)
            if closeAfterFlush { finishClosing() }
        }
    }

    func setWriteInterest(_ on: Bool) {
        guard on != writeInterest, !closed else { return }
        writeInterest = on
        var events: UInt32 = inputClosed ? 0 : EPOLLIN.rawValue
        if on { events |= EPOLLOUT.rawValue }
        loop.modify(fd: fd, events: events)
    }
}

import CLinuxSys
import Glibc

/// Writing to the socket: per-iteration coalescing, the bounded outbound queue and EPOLLOUT.
///
/// A write only queues bytes and puts the connection on its loop's flush list; the loop
/// flushes every listed connection once at the end of the iteration (after epoll events,
/// queued jobs and closures, and timers), so everything a connection is sent in one
/// iteration leaves in one `send`/`sendmsg`. When the kernel refuses bytes, EPOLLOUT is
/// watched until the queue is empty; a peer whose queue is over the limit when more
/// output arrives is closed.
extension Connection {

    /// Queues `bytes` (by reference) for this iteration's flush.
    func write(_ bytes: [UInt8]) {
        guard !closed, !bytes.isEmpty, !closedForNotReading() else { return }
        outbound.append(bytes)
        outputQueued()
    }

    /// Appends in place to the queue's own buffer (no intermediate array), reserving
    /// `capacity` bytes when a fresh buffer is needed; `body` may only append.
    func writeInPlace(reserving capacity: Int, _ body: (inout [UInt8]) -> Void) {
        guard !closed, !closedForNotReading() else { return }
        let state = self.state
        outbound.appendInPlace(reserving: capacity, fresh: { state.takeBuffer() }, body)
        outputQueued()
    }

    /// Closes a peer that is not reading: the kernel refused bytes and more than
    /// `maxOutboundBytes` are still queued. True when it closed.
    private func closedForNotReading() -> Bool {
        guard writeInterest && outbound.byteCount > state.configuration.maxOutboundBytes else { return false }
        closeNow()
        return true
    }

    /// Schedules the end-of-iteration flush; a burst over the limit is written at once.
    private func outputQueued() {
        if writeInterest { return }  // the kernel is full: EPOLLOUT drains the queue
        if outbound.byteCount > state.configuration.maxOutboundBytes {
            flush()
            return
        }
        if !flushScheduled {
            flushScheduled = true
            loop.scheduleFlush(self)
        }
    }

    /// The loop's end-of-iteration flush.
    func flushPending() {
        flushScheduled = false
        guard !closed, !writeInterest else { return }
        flush()
    }

    /// Writes as much of the queue as the socket takes; watches EPOLLOUT for the rest;
    /// completes a pending close once everything is written.
    func flush() {
        guard !closed else { return }
        guard drainQueue() else {
            closeNow()
            return
        }
        if let buffer = outbound.takeRecycled() { state.recycle(buffer) }
        if outbound.isEmpty {
            setWriteInterest(false)
            if closeAfterFlush { finishClosing() }
        } else {
            setWriteInterest(true)
        }
    }

    /// One pass of `send`/`sendmsg` calls; false when the socket failed.
    @discardableResult
    func drainQueue() -> Bool {
        var failed = false
        let fd = self.fd
        _ = outbound.drain { iov in
            sendCalls &+= 1
            let sent: Int
            if iov.count == 1 {
                sent = send(fd, iov[0].iov_base, iov[0].iov_len, Int32(MSG_NOSIGNAL))
            } else {
                // sendmsg, not writev: it takes MSG_NOSIGNAL (no SIGPIPE on a reset peer).
                var message = msghdr()
                message.msg_iov = iov.baseAddress
                message.msg_iovlen = iov.count
                sent = sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                let error = felt_errno()
                if !(error == EAGAIN || error == EWOULDBLOCK || error == EINTR) { failed = true }
                return -1
            }
            return sent
        }
        return !failed
    }

    func setWriteInterest(_ on: Bool) {
        guard on != writeInterest, !closed else { return }
        writeInterest = on
        var events: UInt32 = inputClosed ? 0 : EPOLLIN.rawValue
        if on { events |= EPOLLOUT.rawValue }
        loop.modify(fd: fd, events: events)
    }
}

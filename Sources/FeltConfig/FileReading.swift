import Glibc

/// Bounded, checked reads of configuration and secret files.
enum FileReading {
    /// A failed read: code and message (the caller supplies the location).
    struct Failure: Error {
        let code: ConfigIssue.Code
        let message: String
    }

    static func errnoText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Device and inode: the identity of a file, whatever path names it.
    struct Identity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    /// Reads a regular file of at most `maxBytes`; the size is checked before reading.
    static func read(_ path: String, maxBytes: Int, what: String = "file") -> Result<(bytes: [UInt8], identity: Identity), Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                return .failure(Failure(code: .fileNotFound, message: "\(what) \(path) does not exist"))
            }
            return .failure(Failure(code: .fileUnreadable, message: "cannot open \(what) \(path): \(errnoText(code))"))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            return .failure(Failure(code: .fileUnreadable, message: "cannot inspect \(what) \(path): \(errnoText(errno))"))
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR {
            return .failure(Failure(code: .notARegularFile, message: "\(path) is a directory, not a \(what)"))
        }
        guard kind == S_IFREG else {
            return .failure(Failure(code: .notARegularFile, message: "\(path) is not a regular file"))
        }
        if Int(info.st_size) > maxBytes {
            return .failure(Failure(code: .fileTooLarge,
                                    message: "\(what) \(path) is \(sizeText(Int(info.st_size))); the limit is \(sizeText(maxBytes))"))
        }
        // Read to EOF, but never more than maxBytes + 1 (the size may change underneath).
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                if count > maxBytes { break }
                bytes.append(contentsOf: repeatElement(0, count: min(65536, maxBytes + 1 - count)))
            }
            let got = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.read(fd, base + count, buffer.count - count)
            }
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(Failure(code: .fileUnreadable, message: "cannot read \(what) \(path): \(errnoText(errno))"))
            }
            if got == 0 { break }
            count += got
        }
        if count > maxBytes {
            return .failure(Failure(code: .fileTooLarge, message: "\(what) \(path) is larger than \(sizeText(maxBytes))"))
        }
        bytes.removeSubrange(count...)
        return .success((bytes, Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))))
    }

    static func sizeText(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 20 {
            let tenths = (bytes * 10) >> 20
            return "\(tenths / 10).\(tenths % 10) MiB"
        }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    /// Paths matching the shell pattern `pattern` (`*`, `?`, `[…]`), sorted.
    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let cPath = result.gl_pathv[index] { paths.append(String(cString: cPath)) }
        }
        return paths
    }

    /// The folder part of a display path ("" for a bare file name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// `relative` resolved against `directory` (absolute paths stay as they are).
    static func join(_ directory: String, _ relative: String) -> String {
        if relative.hasPrefix("/") || directory.isEmpty { return relative }
        var base = directory
        var rest = Substring(relative)
        while rest.hasPrefix("./") { rest = rest.dropFirst(2) }
        if base.hasSuffix("/") { base.removeLast() }
        return base + "/" + rest
    }

    /// Finds the first NUL byte or invalid UTF-8 sequence; returns the issue or `nil`.
    static func checkText(_ bytes: [UInt8], file: String) -> ConfigIssue? {
        var line = 1
        var column = 1
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == 0 {
                    return ConfigIssue(SourceMark(file: file, line: line, column: column), "", .binaryData,
                                       "the file contains binary data (a NUL byte); a configuration file must be UTF-8 text")
                }
                if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
                index += 1
                continue
            }
            var length = 0
            var minimum: UInt32 = 0
            var scalar: UInt32 = 0
            if byte & 0xE0 == 0xC0 { length = 2; minimum = 0x80; scalar = UInt32(byte & 0x1F) }
            else if byte & 0xF0 == 0xE0 { length = 3; minimum = 0x800; scalar = UInt32(byte & 0x0F) }
            else if byte & 0xF8 == 0xF0 { length = 4; minimum = 0x10000; scalar = UInt32(byte & 0x07) }
            var valid = length > 0 && index + length <= count
            if valid {
                for offset in 1..<length {
                    let next = bytes[index + offset]
                    if next & 0xC0 != 0x80 { valid = false; break }
                    scalar = scalar << 6 | UInt32(next & 0x3F)
                }
            }
            if valid, scalar < minimum || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF) { valid = false }
            guard valid else {
                return ConfigIssue(SourceMark(file: file, line: line, column: column), "", .invalidUTF8,
                                   "invalid UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true)) at offset \(index)); a configuration file must be UTF-8 text")
            }
            index += length
            column += 1
        }
        return nil
    }
}

/// Bounds that keep hostile configuration files from using unbounded time or memory.
public struct ConfigLimits: Sendable, Equatable {
    /// Largest single file, checked with `fstat` before reading (default 8 MiB).
    public var maxFileBytes: Int
    /// Largest total of all files of one configuration (default 256 MiB).
    public var maxTotalBytes: Int
    /// Deepest nesting of mappings and lists (default 64).
    public var maxDepth: Int
    /// Most YAML nodes in one file (default 2,000,000).
    public var maxNodesPerFile: Int
    /// Most files in one configuration, the root included (default 20,000).
    public var maxFiles: Int
    /// Largest secret, key or passphrase file (default 64 KiB).
    public var maxSecretFileBytes: Int
    /// Deepest chain of includes below the root file (default 16).
    public var maxIncludeDepth: Int
    /// Whether included files are read, parsed and decoded on several threads (default true).
    /// The result, including the order of problems, is the same either way.
    public var parallel: Bool

    /// Creates limits; every argument has the documented default.
    public init(maxFileBytes: Int = 8 << 20, maxTotalBytes: Int = 256 << 20, maxDepth: Int = 64,
                maxNodesPerFile: Int = 2_000_000, maxFiles: Int = 20_000, maxSecretFileBytes: Int = 64 << 10,
                maxIncludeDepth: Int = 16, parallel: Bool = true) {
        self.maxFileBytes = maxFileBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxDepth = maxDepth
        self.maxNodesPerFile = maxNodesPerFile
        self.maxFiles = maxFiles
        self.maxSecretFileBytes = maxSecretFileBytes
        self.maxIncludeDepth = maxIncludeDepth
        self.parallel = parallel
    }

    /// The defaults.
    public static let standard = ConfigLimits()
}

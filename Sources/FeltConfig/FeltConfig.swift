/// Namespace marker for the `FeltConfig` module.
public enum FeltConfigModule {
    /// The module's name, for diagnostics.
    public static let name = "FeltConfig"
}

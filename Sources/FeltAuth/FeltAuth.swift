/// Namespace marker for the `FeltAuth` module.
public enum FeltAuthModule {
    /// The module's name, for diagnostics.
    public static let name = "FeltAuth"
}

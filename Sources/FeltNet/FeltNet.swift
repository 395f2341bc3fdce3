/// Namespace marker for the `FeltNet` module.
public enum FeltNetModule {
    /// The module's name, for diagnostics.
    public static let name = "FeltNet"
}

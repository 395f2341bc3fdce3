/// Namespace marker for the `FeltStore` module.
public enum FeltStoreModule {
    /// The module's name, for diagnostics.
    public static let name = "FeltStore"
}

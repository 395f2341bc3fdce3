/// Namespace marker for the `FeltTables` module.
public enum FeltTablesModule {
    /// The module's name, for diagnostics.
    public static let name = "FeltTables"
}

import FeltConfig
import FeltNet
import FeltStore
import FeltAuth
import FeltTables
import PokerEngine

/// Namespace marker for the `FeltServer` module, which composes all the others.
public enum FeltServerModule {
    /// The module's name, for diagnostics.
    public static let name = "FeltServer"
}

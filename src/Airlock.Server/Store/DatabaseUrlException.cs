namespace Airlock.Server.Store;

/// <summary>A <c>--database</c> value Airlock cannot use; the message says what is wrong and the accepted forms.</summary>
public sealed class DatabaseUrlException(string message) : Exception(message);

using Microsoft.Extensions.Options;

namespace ChaosLab.Core.Persistence.Providers;

/// <summary>Refuses, at start-up, a provider ChaosLab does not have or PostgreSQL with nowhere to connect.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    internal const string MissingConnectionString =
        $"{DatabaseOptions.SectionName}:Provider is '{DatabaseOptions.Postgres}' but {DatabaseOptions.SectionName}:ConnectionString is not set " +
        "(e.g. Host=db;Database=chaoslab;Username=chaoslab;Password=...).";

    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) => options.Provider switch
    {
        DatabaseOptions.Sqlite => ValidateOptionsResult.Success,
        DatabaseOptions.Postgres when string.IsNullOrWhiteSpace(options.ConnectionString) => ValidateOptionsResult.Fail(MissingConnectionString),
        DatabaseOptions.Postgres => ValidConnectionString(options.ConnectionString!),
        _ => ValidateOptionsResult.Fail(
            $"{DatabaseOptions.SectionName}:Provider is '{options.Provider}'; it must be '{DatabaseOptions.Sqlite}' (the default, a file in the data directory) " +
            $"or '{DatabaseOptions.Postgres}'."),
    };

    private static ValidateOptionsResult ValidConnectionString(string connectionString)
    {
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            // The builder's message names the keyword, never a value: no password is echoed.
            return ValidateOptionsResult.Fail($"{DatabaseOptions.SectionName}:ConnectionString is not a PostgreSQL connection string: {ex.Message}");
        }
    }
}

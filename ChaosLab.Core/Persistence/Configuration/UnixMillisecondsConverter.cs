using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ChaosLab.Core.Persistence.Configuration;

/// <summary>
/// SQLite has no date type that sorts and compares natively; Unix milliseconds do both and keep
/// every timestamp in UTC.
/// </summary>
internal sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.ToUnixTimeMilliseconds(),
    stored => DateTimeOffset.FromUnixTimeMilliseconds(stored));

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChaosLab.Web.Hosting.Authoring;

/// <summary>The operator's admin key, compared so that a wrong guess takes as long as a right one.</summary>
public sealed class AdminKey(IOptions<AuthoringOptions> options)
{
    // Hashing both sides first gives equal lengths, so the comparison's time says nothing about
    // the key's length or any prefix of it.
    private readonly byte[]? _hash = string.IsNullOrEmpty(options.Value.AdminKey) ? null : Hash(options.Value.AdminKey);

    /// <summary>True when the operator set a key: authoring needs it.</summary>
    public bool Required => _hash is not null;

    public bool Matches(string? candidate) =>
        _hash is not null && candidate is not null && CryptographicOperations.FixedTimeEquals(_hash, Hash(candidate));

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}

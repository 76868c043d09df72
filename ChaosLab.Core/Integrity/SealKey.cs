using System.Security.Cryptography;
using System.Text;

namespace ChaosLab.Core.Integrity;

/// <summary>The server secret behind sealed seeds (where it comes from: <see cref="SealKeySource"/>).</summary>
public sealed class SealKey
{
    public const string FileName = "seal.key";

    private SealKey(byte[] bytes) => Bytes = bytes;

    internal byte[] Bytes { get; }

    public static SealKey FromSecret(string secret) => new(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>A new random secret (256 bits, 44 characters) for a server that has none yet.</summary>
    internal static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The configured key, else the one stored in <paramref name="dataDirectory"/>, else a new
    /// random key written there readable by the server's user only. A key file that exists but
    /// cannot be read is an error: silently replacing it would change every future sealed seed.
    /// </summary>
    public static SealKey Load(string? configured, string dataDirectory)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return FromSecret(configured);
        }

        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            var stored = File.ReadAllText(path).Trim();
            if (stored.Length < 32)
            {
                throw new InvalidOperationException($"The seal key file '{path}' is shorter than 32 characters; restore it or delete it to create a new key.");
            }

            return FromSecret(stored);
        }

        Directory.CreateDirectory(dataDirectory);
        var secret = NewSecret();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, Encoding.ASCII, options);
            writer.Write(secret);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            return Load(null, dataDirectory);
        }

        return FromSecret(secret);
    }
}

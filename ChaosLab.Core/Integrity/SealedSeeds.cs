using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ChaosLab.Core.Integrity;

/// <summary>
/// Seeds of sealed episodes: HMAC-SHA256 of a server secret and a purpose (an episode id, or an
/// evaluation's scenario and seed index), cut to 63 bits. Nobody without the key can predict or
/// reproduce one, and 63 bits cannot be searched by replaying practice seeds; the operator, who
/// holds the key, can re-derive any of them, and each is recorded with its episode anyway.
/// </summary>
public sealed class SealedSeeds
{
    private readonly Func<SealKey> _key;

    /// <summary>Seeds under a fixed key.</summary>
    public SealedSeeds(SealKey key) => _key = () => key;

    /// <summary>
    /// Seeds under the server's key. Services holding these are built before the store is ready,
    /// so the key is looked up on use, once <see cref="SealKeySource.LoadAsync"/> has run.
    /// </summary>
    public SealedSeeds(SealKeySource source) => _key = () => source.Key;

    public long ForEpisode(string episodeId) => Derive("episode:" + episodeId);

    /// <summary>
    /// One seed per (scenario, index) of an evaluation, the same for every agent it plays, so two
    /// agents' sealed episodes can still be paired seed by seed. Only for agents whose sole access
    /// is the suite's own actions (the server's scripted agents, an in-process runner): once one
    /// agent's episode ends its seed is public, so an agent that can read the API must get
    /// <see cref="ForEpisode"/> seeds instead.
    /// </summary>
    public long ForEvaluation(string evaluation, string scenarioId, int index) =>
        Derive($"evaluation:{evaluation}:{scenarioId}:{index}");

    private long Derive(string purpose)
    {
        Span<byte> digest = stackalloc byte[32];
        HMACSHA256.HashData(_key().Bytes, Encoding.UTF8.GetBytes(purpose), digest);
        return (long)(BinaryPrimitives.ReadUInt64LittleEndian(digest) & long.MaxValue);
    }
}

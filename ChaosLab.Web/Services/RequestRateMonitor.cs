namespace ChaosLab.Web.Services;

/// <summary>Counts HTTP requests per wall-clock second over a sliding window.</summary>
public sealed class RequestRateMonitor(TimeProvider timeProvider)
{
    public const int WindowSeconds = 60;

    private readonly Lock _gate = new();
    private readonly long[] _secondOfBucket = new long[WindowSeconds];
    private readonly int[] _countOfBucket = new int[WindowSeconds];

    public void Record()
    {
        var second = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var bucket = (int)(second % WindowSeconds);
        lock (_gate)
        {
            if (_secondOfBucket[bucket] != second)
            {
                _secondOfBucket[bucket] = second;
                _countOfBucket[bucket] = 0;
            }

            _countOfBucket[bucket]++;
        }
    }

    /// <summary>
    /// Requests per second for each of the last <see cref="WindowSeconds"/> completed seconds,
    /// oldest first; seconds with no request are zero.
    /// </summary>
    public IReadOnlyList<RequestRatePoint> Snapshot()
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var points = new RequestRatePoint[WindowSeconds];
        lock (_gate)
        {
            for (var i = 0; i < WindowSeconds; i++)
            {
                var second = now - WindowSeconds + i;
                var bucket = (int)(second % WindowSeconds);
                var count = _secondOfBucket[bucket] == second ? _countOfBucket[bucket] : 0;
                points[i] = new RequestRatePoint(DateTimeOffset.FromUnixTimeSeconds(second), count);
            }
        }

        return points;
    }
}

public readonly record struct RequestRatePoint(DateTimeOffset Second, int Requests);

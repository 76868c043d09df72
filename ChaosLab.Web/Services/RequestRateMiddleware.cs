namespace ChaosLab.Web.Services;

internal sealed class RequestRateMiddleware(RequestDelegate next, RequestRateMonitor monitor)
{
    public Task InvokeAsync(HttpContext context)
    {
        monitor.Record();
        return next(context);
    }
}

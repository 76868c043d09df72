namespace ChaosLab.Web.Components.Controls;

/// <summary>Short notices for the current circuit (scoped): shown by <c>ToastHost</c> in the layout.</summary>
public sealed class ToastService
{
    private readonly List<Toast> _toasts = [];
    private int _nextId;

    public event Action? Changed;

    public IReadOnlyList<Toast> Toasts => _toasts;

    public void Show(string message, ToastLevel level = ToastLevel.Info)
    {
        _toasts.Add(new Toast(++_nextId, message, level));
        // Keep the stack short: the oldest notice goes first.
        if (_toasts.Count > 4)
        {
            _toasts.RemoveAt(0);
        }

        Changed?.Invoke();
    }

    public void Dismiss(int id)
    {
        _toasts.RemoveAll(t => t.Id == id);
        Changed?.Invoke();
    }
}

public sealed record Toast(int Id, string Message, ToastLevel Level);

public enum ToastLevel
{
    Info,
    Success,
    Warning,
    Error,
}

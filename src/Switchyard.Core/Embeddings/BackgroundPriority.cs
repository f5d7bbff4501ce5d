using System.Runtime.InteropServices;

namespace Switchyard.Embeddings;

/// <summary>
/// Lowers a thread's scheduling priority (its Linux nice value), so the optional work it does only takes
/// the CPU the gateway's own requests leave. Linux keeps a nice value per thread and a thread starts with
/// its creator's, so ONNX Runtime's inference threads, made by the embedding worker's first run, inherit it.
/// .NET's <see cref="Thread.Priority"/> does not reach the scheduler on Linux, hence the system call.
/// </summary>
internal static partial class BackgroundPriority
{
    private const int PriorityOfProcessOrThread = 0; // PRIO_PROCESS: with a thread id, that thread alone

    /// <summary>
    /// Makes the calling thread <paramref name="niceness"/> (0 to 19, higher yields more); false when the
    /// system refused or is not Linux, the thread then keeping its priority. Raising a nice value needs no
    /// privilege.
    /// </summary>
    public static bool LowerCurrentThread(int niceness)
    {
        if (!OperatingSystem.IsLinux() || niceness <= 0)
        {
            return false;
        }

        try
        {
            return SetPriority(PriorityOfProcessOrThread, GetThreadId(), Math.Min(niceness, 19)) == 0;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // a C library without gettid (glibc before 2.30, some musl builds)
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}

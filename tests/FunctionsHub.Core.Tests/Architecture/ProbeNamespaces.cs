// Probe namespaces for NamespaceCycleTests: each uses Probe.Used in one way only.
#pragma warning disable CA1822, IDE0079

namespace FunctionsHub.Core.Tests.Architecture.Probe.Used
{
    public sealed class Target
    {
        public static int Value => 1;
    }
}

namespace FunctionsHub.Core.Tests.Architecture.Probe.InSignature
{
    public sealed class User
    {
        public object? Take(Used.Target? target) => target;
    }
}

namespace FunctionsHub.Core.Tests.Architecture.Probe.InLambda
{
    public sealed class User
    {
        public int Sum(int[] values) => values.Select(v => v + Used.Target.Value).Sum();
    }
}

namespace FunctionsHub.Core.Tests.Architecture.Probe.InClosure
{
    public sealed class User
    {
        public Func<int> Later(int offset) => () => offset + Used.Target.Value;
    }
}

namespace FunctionsHub.Core.Tests.Architecture.Probe.InAsyncMethod
{
    public sealed class User
    {
        public async Task<int> ValueAsync()
        {
            await Task.Yield();
            return Used.Target.Value;
        }
    }
}

namespace FunctionsHub.Core.Tests.Architecture.Probe.InNestedType
{
    public sealed class User
    {
        public sealed class Inner
        {
            public int Value() => Used.Target.Value;
        }
    }
}

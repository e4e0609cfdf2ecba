using System.Reflection;
using System.Text.RegularExpressions;
using NetArchTest.Rules;

namespace FunctionsHub.Core.Tests.Architecture;

/// <summary>
/// The namespaces of FunctionsHub.Core depend on each other one way only: the kernel at the root,
/// the features (each its records, rules and ports), <c>Serialization</c> (HubJson) and the use
/// cases at the top (docs/decisions.md, "Solution shape"). NetArchTest reads the IL of the core
/// (signatures and method bodies, lambdas and async state machines included) with Mono.Cecil; a
/// constant is copied into the IL that uses it, so a use of a <c>const</c> alone goes unseen.
/// </summary>
public sealed class NamespaceCycleTests
{
    private static readonly Assembly Core = typeof(Identifiers).Assembly;
    private const string Root = "FunctionsHub.Core";

    [Fact]
    public void The_namespaces_of_the_core_have_no_cycle()
    {
        var graph = DependencyGraph(Core, Root);

        var cycles = Cycles(graph);

        Assert.True(cycles.Count == 0, "FunctionsHub.Core has namespace cycles:\n" + string.Join("\n", cycles.Select(c => Describe(c, graph))));
    }

    [Fact]
    public void The_kernel_uses_no_feature_and_no_feature_uses_the_use_cases_or_HubJson()
    {
        var graph = DependencyGraph(Core, Root);
        const string serialization = Root + ".Serialization", useCases = Root + ".UseCases";

        var wrong = graph.Keys
            .Where(e => e.From == Root || e.To == useCases || (e.To == serialization && e.From != useCases))
            .Select(e => Describe([e.From, e.To], graph).Split('\n')[1].Trim())
            .ToArray();

        Assert.True(wrong.Length == 0, "Dependencies against the layers:\n" + string.Join("\n", wrong));
    }

    [Theory]
    [InlineData("InSignature")]
    [InlineData("InLambda")]
    [InlineData("InClosure")]
    [InlineData("InAsyncMethod")]
    [InlineData("InNestedType")]
    public void The_graph_sees_a_use_wherever_the_code_makes_it(string where)
    {
        // The probe namespaces (ProbeNamespaces.cs) each use Probe.Used in one way only: a reader
        // that missed one would let a cycle through it pass.
        const string probe = "FunctionsHub.Core.Tests.Architecture.Probe";

        var graph = DependencyGraph(typeof(NamespaceCycleTests).Assembly, probe);

        Assert.Contains((probe + "." + where, probe + ".Used"), graph.Keys);
    }

    /// <summary>(from, to) → the types in <c>from</c> that use <c>to</c>.</summary>
    private static Dictionary<(string From, string To), IReadOnlyList<string>> DependencyGraph(Assembly assembly, string root)
    {
        // Top-level types by namespace; nested types go with the type that declares them.
        var typesByNamespace = assembly.GetTypes()
            .Where(t => t.DeclaringType is null && t.Namespace is { } ns && (ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal)))
            .GroupBy(t => t.Namespace!)
            .ToDictionary(g => g.Key, g => g.Select(t => t.FullName!).ToArray());

        var edges = new Dictionary<(string, string), IReadOnlyList<string>>();
        foreach (var (from, typesOfFrom) in typesByNamespace)
        {
            // NetArchTest gives a nested type the namespace "{namespace}.{declaring type}": the
            // pattern takes the namespace itself and its types', but no sub-namespace.
            var typeNames = string.Join("|", typesOfFrom.Select(t => Regex.Escape(t[(from.Length + 1)..])));
            var inFrom = $"^{Regex.Escape(from)}(\\.({typeNames})(\\.[^.]+)*)?$";
            foreach (var (to, typesOfTo) in typesByNamespace)
            {
                if (from == to)
                {
                    continue;
                }

                // By the full names of the types in `to`, not by the namespace: NetArchTest takes a
                // dependency name with everything under it, so "FunctionsHub.Core" would match every namespace.
                var users = Types.InAssembly(assembly)
                    .That().ResideInNamespaceMatching(inFrom)
                    .And().HaveDependencyOnAny(typesOfTo)
                    .GetTypes()
                    .Select(t => t.FullName!)
                    .Order(StringComparer.Ordinal)
                    .ToArray();
                if (users.Length > 0)
                {
                    edges[(from, to)] = users;
                }
            }
        }

        return edges;
    }

    /// <summary>For each strongly connected group of namespaces larger than one: the group, and one cycle through it.</summary>
    private static List<(IReadOnlyList<string> Group, IReadOnlyList<string> Cycle)> Cycles(Dictionary<(string From, string To), IReadOnlyList<string>> graph)
    {
        var next = graph.Keys.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).Order(StringComparer.Ordinal).ToArray());
        var cycles = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>();
        foreach (var group in StronglyConnected(next).Where(g => g.Count > 1))
        {
            // The shortest way back to the first namespace of the group, within the group.
            var start = group.Min(StringComparer.Ordinal)!;
            var previous = new Dictionary<string, string>();
            var queue = new Queue<string>([start]);
            string? last = null;
            while (queue.Count > 0 && last is null)
            {
                var current = queue.Dequeue();
                foreach (var to in next.GetValueOrDefault(current, []).Where(group.Contains))
                {
                    if (to == start)
                    {
                        last = current;
                        break;
                    }

                    if (previous.TryAdd(to, current))
                    {
                        queue.Enqueue(to);
                    }
                }
            }

            var path = new List<string> { start };
            for (var at = last!; at != start; at = previous[at])
            {
                path.Insert(1, at);
            }

            path.Add(start);
            cycles.Add((group.Order(StringComparer.Ordinal).ToArray(), path));
        }

        return cycles;
    }

    private static List<HashSet<string>> StronglyConnected(Dictionary<string, string[]> next)
    {
        // Tarjan.
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var groups = new List<HashSet<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            foreach (var w in next.GetValueOrDefault(v, []))
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (stack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var group = new HashSet<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    group.Add(w);
                }
                while (w != v);
                groups.Add(group);
            }
        }

        foreach (var v in next.Keys.Order(StringComparer.Ordinal).Where(v => !index.ContainsKey(v)))
        {
            Visit(v);
        }

        return groups;
    }

    private static string Describe((IReadOnlyList<string> Group, IReadOnlyList<string> Cycle) found, Dictionary<(string From, string To), IReadOnlyList<string>> graph) =>
        $"  {{{string.Join(", ", found.Group.Select(Short))}}} depend on each other, e.g.\n" + Describe(found.Cycle, graph)
        + "\n  every dependency within the group:\n" + string.Join("\n", graph.Keys
            .Where(e => found.Group.Contains(e.From) && found.Group.Contains(e.To))
            .OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal)
            .Select(e => Describe([e.From, e.To], graph)[("  " + Short(e.From) + " -> " + Short(e.To) + "\n").Length..]));

    private static string Describe(IReadOnlyList<string> cycle, Dictionary<(string From, string To), IReadOnlyList<string>> graph) =>
        "  " + string.Join(" -> ", cycle.Select(Short)) + "\n" + string.Join("\n", cycle.Zip(cycle.Skip(1)).Select(e =>
            $"    {Short(e.First)} -> {Short(e.Second)}: {string.Join(", ", graph[e].Take(3).Select(t => t[(t.LastIndexOf('.') + 1)..]))}{(graph[e].Count > 3 ? $" (+{graph[e].Count - 3})" : "")}"));

    private static string Short(string ns) => ns == Root ? "(root)" : ns[(Root.Length + 1)..];
}

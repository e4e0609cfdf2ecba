using FunctionsHub.Core.Privacy;

namespace FunctionsHub.Core.Tests.Privacy;

public sealed class ChildPseudonymTests
{
    private static readonly byte[] KeyA = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] KeyB = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void The_same_key_and_bsn_always_give_the_same_pseudonym()
    {
        Assert.Equal(new ChildPseudonym(KeyA).Of("111222333"), new ChildPseudonym(KeyA.ToArray()).Of("111222333"));
    }

    [Fact]
    public void Another_key_gives_another_pseudonym()
    {
        Assert.NotEqual(new ChildPseudonym(KeyA).Of("111222333"), new ChildPseudonym(KeyB).Of("111222333"));
    }

    [Fact]
    public void Another_child_gives_another_pseudonym()
    {
        Assert.NotEqual(new ChildPseudonym(KeyA).Of("111222333"), new ChildPseudonym(KeyA).Of("123456782"));
    }

    [Theory]
    [InlineData("111222333")]
    [InlineData("123456782")]
    public void The_pseudonym_does_not_contain_the_bsn(string bsn)
    {
        var pseudonym = new ChildPseudonym(KeyA).Of(bsn);

        Assert.DoesNotContain(bsn, pseudonym);
        Assert.Equal(64, pseudonym.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    public void A_key_under_32_bytes_is_rejected(int length)
    {
        Assert.Throws<ArgumentException>(() => new ChildPseudonym(new byte[length]));
    }

    [Fact]
    public void A_key_of_32_bytes_is_accepted()
    {
        Assert.NotEmpty(new ChildPseudonym(new byte[32]).Of("111222333"));
    }

    [Fact]
    public void The_body_fingerprint_tells_bodies_apart()
    {
        var pseudonym = new ChildPseudonym(KeyA);

        Assert.Equal(pseudonym.Fingerprint("{}"u8), pseudonym.Fingerprint("{}"u8));
        Assert.NotEqual(pseudonym.Fingerprint("{}"u8), pseudonym.Fingerprint("{ }"u8));
    }
}

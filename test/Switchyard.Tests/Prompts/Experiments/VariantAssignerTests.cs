using Switchyard.Prompts.Experiments;
using Xunit;

namespace Switchyard.Tests.Prompts.Experiments;

/// <summary>Sticky assignment: splits within ±2 % of the weights over 10,000 users, the same variant on a new instance, bounded moves on a reweight.</summary>
public sealed class VariantAssignerTests
{
    private const int Users = 10_000;

    [Theory]
    [InlineData("50,50")]
    [InlineData("90,10")]
    [InlineData("60,30,10")]
    [InlineData("1,1,1")]
    public void Ten_thousand_users_split_within_two_percent_of_the_weights(string weightList)
    {
        var weights = weightList.Split(',').Select(int.Parse).ToArray();
        var assigner = new VariantAssigner("exp-42", weights);
        var counts = new int[weights.Length];
        for (var i = 0; i < Users; i++)
        {
            counts[assigner.Pick($"user-{i}")]++;
        }

        for (var v = 0; v < weights.Length; v++)
        {
            var expected = (double)weights[v] / weights.Sum();
            Assert.InRange((double)counts[v] / Users, expected - 0.02, expected + 0.02);
        }
    }

    [Fact]
    public void A_user_keeps_their_variant_across_a_new_instance_and_it_is_the_same_on_every_machine()
    {
        var first = new VariantAssigner("exp-42", [50, 50]);
        var afterRestart = new VariantAssigner("exp-42", [50, 50]);
        for (var i = 0; i < Users; i++)
        {
            Assert.Equal(first.Pick($"user-{i}"), afterRestart.Pick($"user-{i}"));
        }

        // Pinned value (SHA-256 computed outside .NET): a change of hash or mapping would reshuffle every running experiment after an upgrade.
        Assert.Equal(47_281, VariantAssigner.Point("exp-42", "user-1", 1_000_000));
    }

    [Fact]
    public void Different_experiments_assign_independently()
    {
        var a = new VariantAssigner("exp-a", [50, 50]);
        var b = new VariantAssigner("exp-b", [50, 50]);
        var same = Enumerable.Range(0, Users).Count(i => a.Pick($"user-{i}") == b.Pick($"user-{i}"));
        Assert.InRange((double)same / Users, 0.48, 0.52);
    }

    [Fact]
    public void Reweighting_moves_only_the_units_between_the_old_and_new_boundaries_towards_the_grown_variant()
    {
        var before = new VariantAssigner("exp-42", [50, 50]);
        var after = new VariantAssigner("exp-42", [60, 40]);
        var moved = 0;
        for (var i = 0; i < Users; i++)
        {
            var (was, now) = (before.Pick($"user-{i}"), after.Pick($"user-{i}"));
            if (was != now)
            {
                moved++;
                Assert.Equal((1, 0), (was, now));
            }
        }

        Assert.InRange((double)moved / Users, 0.08, 0.12);
    }

    [Fact]
    public void Long_and_non_ascii_units_hash_like_short_ones()
    {
        var assigner = new VariantAssigner("exp", [1, 1]);
        var longUnit = new string('é', 2_000);
        Assert.Equal(assigner.Pick(longUnit), new VariantAssigner("exp", [1, 1]).Pick(longUnit));
        Assert.Throws<ArgumentException>(() => new VariantAssigner("exp", [0, 0]));
        Assert.Throws<ArgumentException>(() => new VariantAssigner("exp", []));
    }
}

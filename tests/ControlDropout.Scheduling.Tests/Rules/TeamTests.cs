using ControlDropout.Scheduling.Scenarios;
using ControlDropout.Scheduling.Tests.Support;
using FluentAssertions;

namespace ControlDropout.Scheduling.Tests.Rules;

/// <summary>Rule 4: exactly teamSize distinct teachers whose skills cover the need, allowed and remote-capable where it applies.</summary>
public class TeamTests
{
    [Fact]
    public void Sends_a_two_person_team_whose_skills_together_cover_the_need()
    {
        var scenario = new Week().Place("school", 0).Place("clinic", 40).Place("h1", 20)
            .Teacher("teacher", "school", skills: ["special-education"])
            .Teacher("therapist", "clinic", skills: ["rehabilitation"])
            .Student("s1", "h1", team: 2, skills: ["special-education", "rehabilitation"])
            .Build();

        var session = Solve.Checked(scenario).Only("s1");

        session.TeacherIds.Select(t => t.Value).Should().BeEquivalentTo("teacher", "therapist");
    }

    [Fact]
    public void Skips_the_nearest_teacher_when_they_lack_the_skill()
    {
        var scenario = new Week().Place("near", 5).Place("far", 80).Place("h1", 0)
            .Teacher("nearby", "near", skills: ["special-education"])
            .Teacher("far-away", "far", skills: ["speech-therapy"])
            .Student("s1", "h1", skills: ["speech-therapy"])
            .Build();

        Solve.Checked(scenario).Only("s1").TeacherIds.Should().Equal(new TeacherId("far-away"));
    }

    [Fact]
    public void Uses_only_allowed_teachers_when_the_plan_names_them()
    {
        var scenario = new Week().Place("near", 5).Place("far", 60).Place("h1", 0)
            .Teacher("nearby", "near")
            .Teacher("named", "far")
            .Student("s1", "h1", allowed: ["named"])
            .Build();

        Solve.Checked(scenario).Only("s1").TeacherIds.Should().Equal(new TeacherId("named"));
    }

    [Fact]
    public void Gives_a_remote_session_only_to_teachers_who_can_teach_remotely()
    {
        var scenario = new Week().Place("base", 0).Place("h1", 10)
            .Teacher("offline", "base", remote: false)
            .Teacher("online", "base", remote: true)
            .Student("s1", "h1", home: 0, remote: 1)
            .Build();

        Solve.Checked(scenario).Only("s1").TeacherIds.Should().Equal(new TeacherId("online"));
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlDropout.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Evidence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The Enrolment migration gave a policy stored before it an assessment validity of 0 months (the validator
            // allows 1–36), which refused every assessment as expired: such a policy takes the default, 12.
            migrationBuilder.Sql("UPDATE \"Policies\" SET \"AssessmentValidMonths\" = 12 WHERE \"AssessmentValidMonths\" = 0;");

            migrationBuilder.AddColumn<int>(
                name: "CheckInAccuracyMeters",
                table: "Visits",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CheckInAt",
                table: "Visits",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "CheckInLat",
                table: "Visits",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "CheckInLon",
                table: "Visits",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Confirmation",
                table: "Visits",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ConfirmedAt",
                table: "Visits",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FarFromHomeMeters",
                table: "Visits",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PhotoIds",
                table: "Visits",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<bool>(
                name: "RequiredCheckIn",
                table: "Visits",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "RequiredConfirmation",
                table: "Visits",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "RequiredPhotos",
                table: "Visits",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "SignatureSvg",
                table: "Visits",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MeetingLink",
                table: "Sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FarFromHomeMeters",
                table: "Policies",
                type: "INTEGER",
                nullable: false,
                // A county's policy stored before this column keeps the default distance, not zero.
                defaultValue: 1000);

            migrationBuilder.AddColumn<bool>(
                name: "RequireCheckIn",
                table: "Policies",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "RequireGuardianConfirmation",
                table: "Policies",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "RequiredPhotos",
                table: "Policies",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ApprovalNo",
                table: "PlanVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MeetingLink",
                table: "PlanVersions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "VisitPhotos",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CountyCode = table.Column<string>(type: "TEXT", nullable: false),
                    SessionKey = table.Column<string>(type: "TEXT", nullable: false),
                    StudentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", nullable: false),
                    Width = table.Column<int>(type: "INTEGER", nullable: false),
                    Height = table.Column<int>(type: "INTEGER", nullable: false),
                    Length = table.Column<long>(type: "INTEGER", nullable: false),
                    CapturedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    UploadedBy = table.Column<string>(type: "TEXT", nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VisitPhotos", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_VisitPhotos_CountyCode_SessionKey",
                table: "VisitPhotos",
                columns: new[] { "CountyCode", "SessionKey" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "VisitPhotos");

            migrationBuilder.DropColumn(
                name: "CheckInAccuracyMeters",
                table: "Visits");

            migrationBuilder.DropColumn(
                name: "CheckInAt",
                table: "Visits");

            migrationBuilder.DropColumn(
                name: "CheckInLat",
                table: "Visits");

            migrationBuilder.DropColumn(
                name: "CheckInLon",
                table: "Visits");

            migrationBuilder.DropColumn(
                name: "Confirmation",
                table: "Visits");

            migrationBuilder.DropColumn(
                name: "ConfirmedAt",
                table: "Visits");

            migrationBuilder.DropColumn(
                name: "FarFromHomeMeters",
                table: "Visits");

            migrationBuilder.DropColumn(
                name: "PhotoIds",
                table: "Visits");

            migrationBuilder.DropColumn(
                name: "RequiredCheckIn",
                table: "Visits");

            migrationBuilder.DropColumn(
                name: "RequiredConfirmation",
                table: "Visits");

            migrationBuilder.DropColumn(
                name: "RequiredPhotos",
                table: "Visits");

            migrationBuilder.DropColumn(
                name: "SignatureSvg",
                table: "Visits");

            migrationBuilder.DropColumn(
                name: "MeetingLink",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "FarFromHomeMeters",
                table: "Policies");

            migrationBuilder.DropColumn(
                name: "RequireCheckIn",
                table: "Policies");

            migrationBuilder.DropColumn(
                name: "RequireGuardianConfirmation",
                table: "Policies");

            migrationBuilder.DropColumn(
                name: "RequiredPhotos",
                table: "Policies");

            migrationBuilder.DropColumn(
                name: "ApprovalNo",
                table: "PlanVersions");

            migrationBuilder.DropColumn(
                name: "MeetingLink",
                table: "PlanVersions");
        }
    }
}

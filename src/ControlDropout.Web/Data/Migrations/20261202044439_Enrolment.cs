using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlDropout.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Enrolment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "DisabilityRegisteredOn",
                table: "Students",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IdCardNo",
                table: "Students",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateOnly>(
                name: "LeftOn",
                table: "Students",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Phone",
                table: "Staff",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "AssessmentValidMonths",
                table: "Policies",
                type: "INTEGER",
                nullable: false,
                // The default validity for a policy stored before this column (a database migrated after this fix).
                defaultValue: 12);

            migrationBuilder.AddColumn<string>(
                name: "ClosedReason",
                table: "Plans",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DocumentNo",
                table: "Assessments",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Members",
                table: "Assessments",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "Note",
                table: "Assessments",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RecordedAt",
                table: "Assessments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RecordedBy",
                table: "Assessments",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "ReportDocumentId",
                table: "Assessments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Documents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CountyCode = table.Column<string>(type: "TEXT", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    UploadedBy = table.Column<string>(type: "TEXT", nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Documents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Exits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    StudentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CountyCode = table.Column<string>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    LastDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    ToCountyCode = table.Column<string>(type: "TEXT", nullable: true),
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RecordedBy = table.Column<string>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Exits", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TransferNotices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    FromCountyCode = table.Column<string>(type: "TEXT", nullable: false),
                    ToCountyCode = table.Column<string>(type: "TEXT", nullable: false),
                    FromStudentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StudentName = table.Column<string>(type: "TEXT", nullable: false),
                    Gender = table.Column<string>(type: "TEXT", nullable: false),
                    BirthDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DisabilityCategory = table.Column<int>(type: "INTEGER", nullable: false),
                    DisabilityGrade = table.Column<int>(type: "INTEGER", nullable: false),
                    LastDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    AcknowledgedBy = table.Column<string>(type: "TEXT", nullable: true),
                    AcknowledgedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TransferNotices", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Students_CountyCode_IdCardNo",
                table: "Students",
                columns: new[] { "CountyCode", "IdCardNo" });

            migrationBuilder.CreateIndex(
                name: "IX_Students_CountyCode_NationalStudentNo",
                table: "Students",
                columns: new[] { "CountyCode", "NationalStudentNo" });

            migrationBuilder.CreateIndex(
                name: "IX_Staff_CountyCode_Phone",
                table: "Staff",
                columns: new[] { "CountyCode", "Phone" });

            migrationBuilder.CreateIndex(
                name: "IX_Documents_CountyCode_Sha256",
                table: "Documents",
                columns: new[] { "CountyCode", "Sha256" });

            migrationBuilder.CreateIndex(
                name: "IX_Exits_CountyCode_StudentId",
                table: "Exits",
                columns: new[] { "CountyCode", "StudentId" });

            migrationBuilder.CreateIndex(
                name: "IX_TransferNotices_ToCountyCode",
                table: "TransferNotices",
                column: "ToCountyCode");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Documents");

            migrationBuilder.DropTable(
                name: "Exits");

            migrationBuilder.DropTable(
                name: "TransferNotices");

            migrationBuilder.DropIndex(
                name: "IX_Students_CountyCode_IdCardNo",
                table: "Students");

            migrationBuilder.DropIndex(
                name: "IX_Students_CountyCode_NationalStudentNo",
                table: "Students");

            migrationBuilder.DropIndex(
                name: "IX_Staff_CountyCode_Phone",
                table: "Staff");

            migrationBuilder.DropColumn(
                name: "DisabilityRegisteredOn",
                table: "Students");

            migrationBuilder.DropColumn(
                name: "IdCardNo",
                table: "Students");

            migrationBuilder.DropColumn(
                name: "LeftOn",
                table: "Students");

            migrationBuilder.DropColumn(
                name: "Phone",
                table: "Staff");

            migrationBuilder.DropColumn(
                name: "AssessmentValidMonths",
                table: "Policies");

            migrationBuilder.DropColumn(
                name: "ClosedReason",
                table: "Plans");

            migrationBuilder.DropColumn(
                name: "DocumentNo",
                table: "Assessments");

            migrationBuilder.DropColumn(
                name: "Members",
                table: "Assessments");

            migrationBuilder.DropColumn(
                name: "Note",
                table: "Assessments");

            migrationBuilder.DropColumn(
                name: "RecordedAt",
                table: "Assessments");

            migrationBuilder.DropColumn(
                name: "RecordedBy",
                table: "Assessments");

            migrationBuilder.DropColumn(
                name: "ReportDocumentId",
                table: "Assessments");
        }
    }
}

//! The Ed-Fi default descriptors of the code sets that vary by state: reference data the
//! service validates against (not demo data). Districts add their own through the API.

use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
enum Descriptor {
    Table,
    Id,
    DistrictId,
    CodeSet,
    Namespace,
    CodeValue,
    ShortDescription,
    Uri,
    CreatedAt,
    UpdatedAt,
    Version,
}

pub const NAMESPACE: &str = "uri://ed-fi.org";

/// (code set, code value, short description).
pub const DEFAULTS: &[(&str, &str, &str)] = &[
    ("DisabilityDescriptor", "Autism", "Autism"),
    ("DisabilityDescriptor", "Deaf-blindness", "Deaf-blindness"),
    ("DisabilityDescriptor", "Deafness", "Deafness"),
    (
        "DisabilityDescriptor",
        "Developmental delay",
        "Developmental delay",
    ),
    (
        "DisabilityDescriptor",
        "Emotional disturbance",
        "Emotional disturbance",
    ),
    (
        "DisabilityDescriptor",
        "Hearing impairment",
        "Hearing impairment",
    ),
    (
        "DisabilityDescriptor",
        "Intellectual disability",
        "Intellectual disability",
    ),
    (
        "DisabilityDescriptor",
        "Multiple disabilities",
        "Multiple disabilities",
    ),
    (
        "DisabilityDescriptor",
        "Orthopedic impairment",
        "Orthopedic impairment",
    ),
    (
        "DisabilityDescriptor",
        "Other health impairment",
        "Other health impairment",
    ),
    (
        "DisabilityDescriptor",
        "Specific learning disability",
        "Specific learning disability",
    ),
    (
        "DisabilityDescriptor",
        "Speech or language impairment",
        "Speech or language impairment",
    ),
    (
        "DisabilityDescriptor",
        "Traumatic brain injury",
        "Traumatic brain injury",
    ),
    (
        "DisabilityDescriptor",
        "Visual impairment",
        "Visual impairment, including blindness",
    ),
    (
        "HomelessPrimaryNighttimeResidenceDescriptor",
        "Doubled-up",
        "Sharing the housing of others due to loss of housing or economic hardship",
    ),
    (
        "HomelessPrimaryNighttimeResidenceDescriptor",
        "Hotels/Motels",
        "Hotels or motels",
    ),
    (
        "HomelessPrimaryNighttimeResidenceDescriptor",
        "Shelters",
        "Shelters, including transitional housing",
    ),
    (
        "HomelessPrimaryNighttimeResidenceDescriptor",
        "Unsheltered",
        "Cars, parks, campgrounds, abandoned buildings",
    ),
    (
        "HomelessProgramServiceDescriptor",
        "Transportation",
        "Transportation to the school of origin",
    ),
    (
        "HomelessProgramServiceDescriptor",
        "School supplies",
        "School supplies",
    ),
    (
        "HomelessProgramServiceDescriptor",
        "Meals",
        "Free school meals",
    ),
    (
        "HomelessProgramServiceDescriptor",
        "Records assistance",
        "Help obtaining school, health and identity records",
    ),
    (
        "HomelessProgramServiceDescriptor",
        "Tutoring",
        "Tutoring or other instructional support",
    ),
    (
        "HomelessProgramServiceDescriptor",
        "Clothing",
        "Clothing to meet a school requirement",
    ),
    (
        "HomelessProgramServiceDescriptor",
        "Health referrals",
        "Referrals to medical, dental or mental health services",
    ),
    (
        "HomelessProgramServiceDescriptor",
        "Counseling",
        "Counseling",
    ),
];

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000005_edfi_descriptors"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let now = chrono::Utc::now();
        let mut insert = Query::insert()
            .into_table(Descriptor::Table)
            .columns([
                Descriptor::Id,
                Descriptor::DistrictId,
                Descriptor::CodeSet,
                Descriptor::Namespace,
                Descriptor::CodeValue,
                Descriptor::ShortDescription,
                Descriptor::Uri,
                Descriptor::CreatedAt,
                Descriptor::UpdatedAt,
                Descriptor::Version,
            ])
            .to_owned();
        for (code_set, code_value, description) in DEFAULTS {
            insert.values_panic([
                uuid::Uuid::now_v7().into(),
                Option::<uuid::Uuid>::None.into(),
                (*code_set).into(),
                NAMESPACE.into(),
                (*code_value).into(),
                (*description).into(),
                format!("{NAMESPACE}/{code_set}#{code_value}").into(),
                now.into(),
                now.into(),
                1.into(),
            ]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let delete = Query::delete()
            .from_table(Descriptor::Table)
            .and_where(Expr::col(Descriptor::DistrictId).is_null())
            .to_owned();
        manager.exec_stmt(delete).await
    }
}

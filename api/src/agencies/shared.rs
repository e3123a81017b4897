//! A referred student as the consent lets an agency see them: each field only if the consent
//! behind the referral covers it and is in force (or, for a referral sent in a health or
//! safety emergency, while the emergency lasts), never the student's record itself. What an
//! agency reads here is a disclosure, noted for the record of disclosures (and a field it
//! asks for that the consent does not cover, a refused one); pupil services see the same view
//! (what the agency gets), unrecorded.

use async_graphql::{Context, Object, SimpleObject};
use entity::{agency_referral, consent, values};
use sea_orm::ActiveEnum;

use super::AgenciesContext;
use crate::{
    auth::policy,
    db::Disclosed,
    errors::{AppError, AppResult},
    graphql::{context::ContextExt, reads::note_disclosure, scalars::Date},
};

/// The student of a referral, as its consent lets the agency see them.
pub struct ReferredStudent {
    pub referral: agency_referral::Model,
}

/// The consenting guardian's contact.
#[derive(SimpleObject)]
pub struct GuardianContact {
    /// Their name.
    name: String,
    /// Their phone number.
    phone: Option<String>,
    /// Their email address.
    email: Option<String>,
    /// The language the family speaks at home.
    language: Option<String>,
}

impl ReferredStudent {
    /// The consent the referral rests on, if the caller may read it.
    async fn consent(&self, ctx: &Context<'_>) -> AppResult<Option<consent::Model>> {
        let Some(id) = self.referral.consent_id else {
            return Ok(None);
        };
        ctx.agencies().consent.load_one(id).await
    }

    /// Allows `field` when the consent covers it today. For a party outside the district the
    /// read is noted as a disclosure, a refusal as a refused one.
    async fn allow(
        &self,
        ctx: &Context<'_>,
        field: values::ConsentField,
        name: &str,
    ) -> AppResult<()> {
        let actor = ctx.actor()?;
        policy::previews_referred_student(actor)?;
        let consent = self.consent(ctx).await?;
        let decision =
            policy::disclosure_basis(&self.referral, consent.as_ref(), field, actor.today);
        if policy::is_outside_party(actor) {
            let basis = decision.clone().unwrap_or(values::DisclosureBasis::None);
            let emergency = basis == values::DisclosureBasis::HealthOrSafetyEmergency;
            note_disclosure(
                ctx,
                Disclosed {
                    student_id: self.referral.student_id,
                    agency_id: self.referral.agency_id,
                    referral_id: self.referral.id,
                    consent_id: self.referral.consent_id,
                    basis,
                    threat: emergency
                        .then(|| self.referral.emergency_threat.clone())
                        .flatten(),
                    fields: vec![name.to_string()],
                    refused: decision.clone().err(),
                    act: "agency read",
                },
            );
        }
        decision
            .map(|_| ())
            .map_err(|why| AppError::Forbidden(format!("{}: {why}", field.to_value())))
    }

    async fn student(&self, ctx: &Context<'_>) -> AppResult<entity::student::Model> {
        let id = self.referral.student_id;
        ctx.agencies()
            .referred_student
            .load_one(id)
            .await?
            .ok_or_else(|| AppError::not_found("Student", id))
    }
}

/// A referred student as the consent behind the referral lets the agency see them. Each field
/// is FORBIDDEN unless the consent covers it and is in force (or the referral was sent in an
/// emergency that is not over); every field an agency reads is recorded as disclosed to it.
#[Object]
impl ReferredStudent {
    /// The name the student goes by, and their last name (NAME).
    async fn name(&self, ctx: &Context<'_>) -> AppResult<String> {
        self.allow(ctx, values::ConsentField::Name, "name").await?;
        let student = self.student(ctx).await?;
        let first = student.preferred_name.unwrap_or(student.legal_first_name);
        Ok(format!("{first} {}", student.legal_last_name))
    }
    /// BIRTH_DATE.
    async fn birth_date(&self, ctx: &Context<'_>) -> AppResult<Option<Date>> {
        self.allow(ctx, values::ConsentField::BirthDate, "birthDate")
            .await?;
        Ok(self.student(ctx).await?.birth_date.map(Date))
    }
    /// GRADE.
    async fn grade_level(&self, ctx: &Context<'_>) -> AppResult<String> {
        self.allow(ctx, values::ConsentField::Grade, "gradeLevel")
            .await?;
        Ok(self.student(ctx).await?.grade_level)
    }
    /// The name of the school the student attends today (SCHOOL).
    async fn school_name(&self, ctx: &Context<'_>) -> AppResult<Option<String>> {
        self.allow(ctx, values::ConsentField::School, "schoolName")
            .await?;
        let today = ctx.actor()?.today;
        let enrollments = ctx
            .agencies()
            .enrollments_of_referred
            .load_one(self.referral.student_id)
            .await?
            .unwrap_or_default();
        let current = enrollments
            .iter()
            .filter(|e| e.entry_date <= today && e.exit_date.is_none_or(|exit| exit >= today))
            .max_by_key(|e| (e.is_primary, e.entry_date));
        let Some(enrollment) = current else {
            return Ok(None);
        };
        let school = ctx
            .agencies()
            .referred_school
            .load_one(enrollment.school_id);
        Ok(school.await?.map(|school| school.name))
    }
    /// The guardian who consented, and how to reach them (GUARDIAN_CONTACT); null for a
    /// referral sent in an emergency without consent, or once that guardian may no longer be
    /// contacted.
    async fn guardian_contact(&self, ctx: &Context<'_>) -> AppResult<Option<GuardianContact>> {
        if self.referral.consent_id.is_none() {
            return Ok(None);
        }
        self.allow(
            ctx,
            values::ConsentField::GuardianContact,
            "guardianContact",
        )
        .await?;
        let Some(consent) = self.consent(ctx).await? else {
            return Ok(None);
        };
        // Through the signer's own link to this student, still current and unrestricted.
        let links = ctx
            .agencies()
            .contact_links_of_referred
            .load_one(consent.student_id)
            .await?
            .unwrap_or_default();
        if !links
            .iter()
            .any(|link| link.guardian_id == consent.guardian_id)
        {
            return Ok(None);
        }
        let guardian = ctx
            .agencies()
            .consenting_guardian
            .load_one(consent.guardian_id)
            .await?;
        Ok(guardian.map(|g| GuardianContact {
            name: format!("{} {}", g.first_name, g.last_name),
            phone: g.phone,
            email: g.email,
            language: g.language,
        }))
    }
}

/// The referral's `needs`: the district's own words to the district, and to the agency as the
/// consent lets it read them (NEEDS).
pub async fn needs(ctx: &Context<'_>, referral: &agency_referral::Model) -> AppResult<String> {
    let actor = ctx.actor()?;
    policy::referral_particulars(actor)?;
    if !policy::is_outside_party(actor) {
        return Ok(referral.needs.clone());
    }
    let view = ReferredStudent {
        referral: referral.clone(),
    };
    view.allow(ctx, values::ConsentField::Needs, "needs")
        .await?;
    Ok(referral.needs.clone())
}

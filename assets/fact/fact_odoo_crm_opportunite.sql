with

lead as (
  select * from {{ ref('ods_odoo_crm_lead') }}
),

cv as (
  select * from {{ ref('ods_odoo_crm_ir_attachment') }}
),

survey_response as (
  select * from {{ ref('dim_odoo_crm_reponse_sondage') }}
),

opportunity as (
  select
    lead.lead_id,
    -- candidate --------------------------------------------------------------
    lead.nom,
    lead.prenom,
    lead.telephone,
    lead.telephone_brut,
    lead.email,
    lead.email_brut,
    lead.region_candidat,
    lead.region_candidat_brut,
    lead.ville_candidat,
    lead.ville_candidat_brut,
    lead.code_postal,
    lead.remarque_candidature,
    -- training ---------------------------------------------------------------
    lead.formation,
    lead.parcours,
    lead.region_formation,
    lead.etape,
    coalesce(lead.etape = {{ search_stage | literal }}, false) as est_en_recherche,
    lead.est_actif,
    lead.est_test,
    -- survey answers ---------------------------------------------------------
    survey_response.qpv,
    survey_response.qpv_brut,
    survey_response.rsa,
    survey_response.rsa_brut,
    survey_response.rqth,
    survey_response.rqth_brut,
    survey_response.france_travail,
    survey_response.france_travail_brut,
    survey_response.nationalite,
    survey_response.contrat_alternance,
    survey_response.mobilite,
    survey_response.date_naissance,
    survey_response.date_naissance_brut,
    survey_response.age,
    -- links ------------------------------------------------------------------
    cv.lien_cv,
    {{ d.concat(odoo_url | literal, "'/web#id='", d.cast('lead.lead_id', 'string'), "'&model=crm.lead&view_type=form'") }}
      as lien_fiche_crm,
    -- record -----------------------------------------------------------------
    lead.date_creation,
    lead.date_modification
  from lead
  left join cv
    on cv.lead_id = lead.lead_id
  left join survey_response
    on survey_response.reponse_sondage_id = lead.reponse_sondage_id
)

select * from opportunity

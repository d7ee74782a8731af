with

user_input as (
  select * from {{ ref('stg_odoo_survey_user_input') }}
),

pivoted_answer as (
  select * from {{ ref('ods_odoo_crm_survey_response_normalised') }}
),

joined as (
  select
    user_input.reponse_sondage_id,
    -- sending ----------------------------------------------------------------
    user_input.sondage_id,
    user_input.sondage,
    user_input.etat,
    user_input.email,
    user_input.date_creation,
    user_input.date_modification,
    -- answers ----------------------------------------------------------------
    pivoted_answer.qpv,
    pivoted_answer.qpv_brut,
    pivoted_answer.rsa,
    pivoted_answer.rsa_brut,
    pivoted_answer.rqth,
    pivoted_answer.rqth_brut,
    pivoted_answer.france_travail,
    pivoted_answer.france_travail_brut,
    pivoted_answer.nationalite,
    pivoted_answer.contrat_alternance,
    pivoted_answer.mobilite,
    pivoted_answer.date_naissance,
    pivoted_answer.date_naissance_brut,
    pivoted_answer.age
  from user_input
  left join pivoted_answer
    on pivoted_answer.reponse_sondage_id = user_input.reponse_sondage_id
)

select * from joined

-- severity: warn
-- threshold: 0
-- description: a candidate looking for a company has no CV or no survey answers, so placement teams cannot match them
-- hint: attach the CV to the lead (a file named CV …) and ask the candidate to answer the entry survey
select
  {{ d.cast('lead_id', 'string') }} as check_key,
  case
    when lien_cv is null and date_naissance_brut is null and qpv_brut is null and rsa_brut is null
      and rqth_brut is null and france_travail_brut is null and nationalite is null
      and contrat_alternance is null and mobilite is null then 'no CV, no survey answers'
    when lien_cv is null then 'no CV'
    else 'no survey answers'
  end as check_value
from {{ ref('fact_odoo_crm_opportunite') }}
where est_en_recherche
  and est_actif
  and not est_test
  and (
    lien_cv is null
    or (
      date_naissance_brut is null and qpv_brut is null and rsa_brut is null and rqth_brut is null
      and france_travail_brut is null and nationalite is null and contrat_alternance is null and mobilite is null
    )
  )

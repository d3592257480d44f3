# 季度党建工作汇报（默认模板）。语法见 crates/domain/src/report/template.rs：
#   !title 标题  !h1 一、标题  !h2 （一）段首标题  !item 一是……  !date 落款日期
#   {事实} 取值（事实为空则整句不写）  {事实?} 仅作条件  {事实!} 为空也写  {事实:count} 列表项数
#   {事实:semi} 列表以“；”连接  【待填写：提示】 须由人填写的判断性文字
# 事实目录：dangwu report facts。
!title {org_unit}{period_name}党建工作情况汇报

{period_short}{org_unit}围绕中心工作，全面落实党建工作责任制，持续推进党组织建设，【待填写：本季度党建工作总体情况】按照工作安排，现就{period_short}党建工作汇报如下。

!h1 主要工作开展情况

!h2 聚焦主责，强化政治建设。
制定{study_plans}，全年安排学习专题{study_plan_items}个。
严格落实“第一议题”制度{first_agenda_complete?}，{first_agenda_sessions}次党组会和中心组学习均将学习习近平总书记重要讲话精神作为第一议题。
以集中理论学习为载体，认真筹备组织“周五学习日”{activities_fixed_study_day_count}次，先后学习{activities_fixed_study_day_materials}。
党组理论学习中心组集中学习{activities_central_group_study_count}次。
以推进工作为目标，结合工作实际和阶段性工作任务，先后组织{activities_democratic_life_meeting_titles}，召开{activities_general_meeting_titles}。
每周调度各科室、直属单位巡察整改反馈{dispatch_rounds}轮，巡察整改问题{rectification_items_total}项，已对账销号{rectification_items_closed}项，整改完成率{rectification_completion_rate}。
【待填写：巡察整改等其他政治建设工作】

!h2 聚焦主线，强化宣传思想和意识形态工作。
在全系统认真开展意识形态领域风险隐患全面排查工作，共排查网络传播平台阵地{positions_screened_network_platform}处，学校意识形态阵地{positions_screened_school}处。
【待填写：宣传思想和意识形态工作，如“学习强国”学习平台使用等】

!h2 聚集主力，强化组织建设。
完成{nomination_elections}推选工作，指导{nomination_orgs}个基层党组织、{nomination_members}名党员参与代表候选人初步人选的推荐提名，知晓率达{nomination_awareness_rate}，参与率达{nomination_participation_rate}。
对{inspection_branches}个直属党支部党建工作进行专项检查。
成立{teams_vanguard}支疫情防控一线党员先锋队，下沉社区支援抗疫。
走访慰问“双报到”社区{care_households_visited}户党员群众。
各党支部召开支部党员大会{activities_branch_assembly_count}次、支部委员会会议{activities_committee_meeting_count}次、党小组会{activities_cell_meeting_count}次，讲党课{activities_party_lecture_count}次，开展主题党日{activities_theme_day_count}次。
完成新年度核定党员交纳党费计算基数{dues_verification_complete?}，{dues_members_verified}名党员明确每月交纳党费数额。
{period_short}收缴党费{dues_collected_fen}元，{dues_remitted_in_full?}按期足额完成{period_short}党费上缴上级党组织工作，上缴{dues_remitted_fen}元。
【待填写：组织建设其他工作】

!h2 聚焦主业，强化党风廉政建设和反腐败工作。
认真开展纪律教育和廉政警示教育，落实重大节日纪律要求{activities_festival_discipline_notice_count?}。
{activities_integrity_letter_titles?}在元旦、春节期间为干部职工家属送上新春“廉政家书”。
组织观看警示教育片{activities_warning_education_count}次。
对机关科室、直属单位开展廉政风险点排查防控工作，排查廉政风险点{integrity_risk_points}个。
启动{programs_started}。
【待填写：党风廉政建设其他工作】

!h1 存在的问题和不足

!item 组织生活制度落实还有差距。
对照制度规定，{period_short}{compliance_gaps:count}项要求未落实：{compliance_gaps:semi}。

!item 【待填写：问题二】
局直属{orgs_affiliated}个党组织性质不同、各有特点，【待填写：问题分析】

!item 【待填写：问题三】
【待填写：问题分析】

!h1 下步工作打算

!item 抓好制度规定的按期落实。
下一期须按期完成：{compliance_next_obligations:semi}。

!item 【待填写：工作打算二】
【待填写：具体措施】

!item 【待填写：工作打算三】
【待填写：具体措施】

!date
